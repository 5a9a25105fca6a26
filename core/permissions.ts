import { type Channel, hasRoleAtLeast, OPEN_STATES, type Role, type Scope, type TicketKind, type TicketState } from './vocabulary.js';

/** Who is acting: a signed-in person or the user behind an API token. */
export interface Actor {
  id: string;
  role: Role;
}

export function isStaff(actor: Actor): boolean {
  return hasRoleAtLeast(actor.role, 'agent');
}

export function isAdmin(actor: Actor): boolean {
  return actor.role === 'admin';
}

/** Managers (and admins) lead teams: they change on-call schedules and overrides, and may acknowledge any page. */
export function isManager(actor: Actor): boolean {
  return hasRoleAtLeast(actor.role, 'manager');
}

/**
 * Planned maintenance on the public status page is announced to the world and its subscribers:
 * managers and admins plan, change and cancel it (as they set a component's status by hand).
 */
export function canScheduleMaintenance(actor: Actor): boolean {
  return isManager(actor);
}

/**
 * A webhook's URL is admin-only configuration, and for chat tools (Slack, Teams) the URL is the
 * secret that lets anyone post to the channel: everyone else knows a webhook by its name.
 */
export function canSeeWebhookUrls(actor: Actor): boolean {
  return isAdmin(actor);
}

/**
 * Staff see every ticket; anyone else sees the tickets they are the requester of. Having logged a
 * ticket grants nothing by itself: requesters can only report for themselves, so a ticket logged
 * for someone else was logged by staff, and a former agent loses it with the role (access follows
 * the current role, never the one held when the ticket was logged).
 */
export function canSeeTicket(actor: Actor, ticket: { requesterId: string; kind?: TicketKind }): boolean {
  // A problem is the desk's own investigation (issue 17): staff only, whoever it names as requester.
  if (ticket.kind === 'problem') return isStaff(actor);
  // A change is the desk's own plan (issue 17): staff only, like a problem.
  if (ticket.kind === 'change') return isStaff(actor);
  return isStaff(actor) || ticket.requesterId === actor.id;
}

/**
 * Who may follow a ticket: anyone who can see it, and anyone at all while it is a known issue (an
 * open incident of global scope, listed for every signed-in person in the portal). Once
 * followed, a person keeps hearing of its public updates until it is resolved or they stop.
 */
export function canFollowTicket(
  actor: Actor,
  ticket: { requesterId: string; kind: TicketKind; scope: Scope; state: TicketState },
): boolean {
  return canSeeTicket(actor, ticket) || (ticket.kind === 'incident' && ticket.scope === 'global' && OPEN_STATES.includes(ticket.state));
}

/**
 * A person's record: staff see anyone's (they pick requesters and assignees); anyone else only
 * their own. Others' records are "not found", not "forbidden", so ids cannot be probed.
 */
export function canSeeUser(actor: Actor, userId: string): boolean {
  return isStaff(actor) || actor.id === userId;
}

/**
 * The channel is how a ticket arrived. Staff record phone calls and chats, so they may name it;
 * a requester's report is a portal (session) or API (token) report, whatever it claims.
 */
export function refusedReportChannel(actor: Actor, channel: Channel | undefined): { field: 'channel'; message: string } | null {
  return channel && !isStaff(actor) ? { field: 'channel', message: 'only service-desk staff can set this' } : null;
}

/** The channel of a report through the API that names none: by token it is `api`; staff in the app take calls, requesters use the portal. */
export function defaultReportChannel(actor: Actor, via: 'session' | 'token'): Channel {
  return via === 'token' ? 'api' : isStaff(actor) ? 'phone' : 'portal';
}

/** What a requester may report: a disruption they suffer or something they need. */
const REQUESTER_KINDS: readonly TicketKind[] = ['incident', 'service_request'];

/**
 * The fields of a new ticket only the service desk may set, and why: who it is for (staff report
 * on someone's behalf), who works it, and how widely it is announced. A global ticket is listed
 * on every person's portal as a known issue and a disturbance is the desk's own record, so a
 * requester choosing either would broadcast their own title to everyone. Empty for staff.
 */
export function refusedReportFields(
  actor: Actor,
  input: { kind?: TicketKind; scope?: Scope; requesterId?: string | null; teamId?: string | null; assigneeId?: string | null },
): { field: string; message: string }[] {
  if (isStaff(actor)) return [];
  const refused: { field: string; message: string }[] = [];
  if (input.requesterId && input.requesterId !== actor.id) {
    refused.push({ field: 'requesterId', message: 'only service-desk staff can report on someone else’s behalf' });
  }
  for (const field of ['teamId', 'assigneeId'] as const) {
    if (input[field]) refused.push({ field, message: 'only service-desk staff can set this' });
  }
  if (input.kind && !REQUESTER_KINDS.includes(input.kind)) {
    refused.push({ field: 'kind', message: 'you can report an incident or a service request; only service-desk staff record other kinds' });
  }
  if (input.scope && input.scope !== 'local') {
    refused.push({ field: 'scope', message: 'only service-desk staff can announce a ticket to everyone (global scope)' });
  }
  return refused;
}

/**
 * Which services a person is offered: staff every one, anyone else those an admin marked
 * visible to requesters (infrastructure components stay the desk's vocabulary).
 */
export function canPickService(actor: Actor, service: { visibleToRequesters: boolean }): boolean {
  return isStaff(actor) || service.visibleToRequesters;
}

/**
 * Who may read a known problem's public view (title, state, the desk's public updates, the
 * resolution — never work notes, the description or what requesters wrote): anyone while it is an
 * open global incident, as the portal lists it; afterwards its followers, so the notification
 * of its fix opens what it names; and whoever may see the ticket itself.
 */
export function canReadKnownIssue(
  actor: Actor,
  ticket: { requesterId: string; reportedById: string; kind: TicketKind; scope: Scope; state: TicketState },
  following: boolean,
): boolean {
  if (ticket.kind !== 'incident' || ticket.scope !== 'global') return false;
  return canSeeTicket(actor, ticket) || following || OPEN_STATES.includes(ticket.state);
}

/** Work notes and other internal events are for staff only. */
export function canSeeInternal(actor: Actor): boolean {
  return isStaff(actor);
}

/**
 * The moves a requester may make on their own ticket: confirm a fix (close), reopen it when the
 * fix did not hold, or withdraw it (cancel). Everything else is the service desk's work.
 */
const REQUESTER_MOVES: readonly TicketState[] = ['closed', 'in_progress', 'cancelled'];

export function canRequestMove(actor: Actor, from: TicketState, to: TicketState): boolean {
  if (isStaff(actor)) return true;
  if (to === 'in_progress') return from === 'resolved';
  return REQUESTER_MOVES.includes(to);
}
