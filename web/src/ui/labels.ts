import type { Channel, OnHoldReason, ResolutionCode, TicketState } from '../../../core/vocabulary';

// One word per thing, the same as the API's (DESIGN.md §1), written for people.
export const STATE_LABEL: Record<TicketState, string> = {
  new: 'New',
  assigned: 'Assigned',
  in_progress: 'In progress',
  on_hold: 'On hold',
  resolved: 'Resolved',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

export const PRIORITY_LABEL: Record<number, string> = { 1: 'P1 Critical', 2: 'P2 High', 3: 'P3 Moderate', 4: 'P4 Low', 5: 'P5 Planning' };

export const ON_HOLD_LABEL: Record<OnHoldReason, string> = {
  awaiting_requester: 'Waiting for the requester',
  awaiting_vendor: 'Waiting for a vendor',
  awaiting_change: 'Waiting for a change',
  awaiting_problem: 'Waiting for a problem fix',
};

export const RESOLUTION_LABEL: Record<ResolutionCode, string> = {
  solved_permanently: 'Solved (permanently)',
  solved_workaround: 'Solved with a workaround',
  solved_remotely: 'Solved remotely',
  not_reproducible: 'Not reproducible',
  duplicate: 'Duplicate',
  resolved_by_caller: 'Resolved by the requester',
  resolved_by_change: 'Resolved by a change',
  no_fault_found: 'No fault found',
  promoted_to_incident: 'Promoted to an incident',
  resolved_by_monitoring: 'Resolved by monitoring',
};

/** How the ticket reached the desk. */
export const CHANNEL_LABEL: Record<Channel, string> = {
  portal: 'the portal',
  email: 'e-mail',
  api: 'the API',
  phone: 'phone',
  alert: 'monitoring',
  chat: 'chat',
  walk_in: 'walk-in',
};

/** How a person reads impact (who is affected) and urgency (can they work?). */
export const IMPACT_CHOICES = [
  { value: 3, label: 'Just me' },
  { value: 2, label: 'My team' },
  { value: 1, label: 'Many people or customers' },
] as const;
export const URGENCY_CHOICES = [
  { value: 3, label: 'Yes, I can work' },
  { value: 2, label: 'With difficulty' },
  { value: 1, label: 'Not at all' },
] as const;
export const IMPACT_LABEL: Record<number, string> = { 1: 'High (many)', 2: 'Medium (a team)', 3: 'Low (one person)' };
export const URGENCY_LABEL: Record<number, string> = { 1: 'High (cannot work)', 2: 'Medium (degraded)', 3: 'Low (can work)' };

/** Roles in words (core/vocabulary ROLES), with what each may do, for pickers and confirmations. */
export const ROLE_LABEL: Record<string, string> = { requester: 'Requester', agent: 'Agent', manager: 'Manager', admin: 'Admin' };
export const ROLE_MEANS: Record<string, string> = {
  requester: 'reports problems and follows their own tickets in the portal',
  agent: 'works tickets on the desk',
  manager: 'works tickets and leads teams, SLAs and on-call',
  admin: 'changes the whole set-up, including people and integrations',
};
