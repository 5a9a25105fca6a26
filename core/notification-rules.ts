/**
 * Who hears about what (issue 4): a pure function from one timeline event to the people it
 * concerns, with the reason shown in the message. The person who acted is never told about
 * their own action. Channels and preferences are applied later, per recipient.
 */
export interface NotifiableEvent {
  type: string;
  internal: boolean;
  actorId: string | null;
  changes: { field: string; from: unknown; to: unknown }[] | null;
  data: Record<string, unknown> | null;
  /** Whether the person who acted is on the desk (agent or above): only the desk's words reach followers. */
  actorIsStaff?: boolean;
}

export interface NotifiableTicket {
  requesterId: string;
  assigneeId: string | null;
  /** The manager of the ticket's team, for breaches and unowned warnings. */
  teamManagerId: string | null;
  /** The team's members: an SLA warning on an unowned ticket goes to the whole team. */
  teamMemberIds?: readonly string[];
  /** People following the ticket (a known issue they chose to follow instead of reporting it). */
  followerIds?: readonly string[];
}

export const NOTIFICATION_REASONS = [
  'reply_from_desk',
  'reply_from_requester',
  'waiting_for_you',
  'resolved',
  'assigned_to_you',
  'sla_warning',
  'sla_breached',
  'escalated_to_you',
  'paged',
  'followed_update',
  'followed_resolved',
  /** Major incidents: given a response role (or handed it); a role that pages says `role_paged` instead. */
  'role_assigned_to_you',
  'role_paged',
  /** A response task of yours past its due time, or (incident manager) anyone's. */
  'task_overdue',
  /** Invited to an incident meeting (the e-mail carries an iCalendar invitation). */
  'meeting_invitation',
  'moved_to_incident',
  'rate_handling',
  'storm_proposed',
  /** Major incidents' update cadence: yours is due (communications manager), or someone's is overdue (incident manager). */
  'update_due',
  'update_overdue',
  /** An update on an incident sent to a stakeholder list or role you are on (issue 15). */
  'stakeholder_update',
  /** An action item of yours from a post-incident review is due soon, or today (issue 17). */
  'action_item_due',
  /** An automation rule that names you ran on a ticket (issue 18). */
  'automation_notice',
] as const;
export type NotificationReason = (typeof NOTIFICATION_REASONS)[number];

/**
 * People choose channels per group of reasons, not per reason: few enough switches to
 * understand. Absent means both channels; e-mail also needs the person's master switch.
 */
export const NOTIFICATION_GROUPS = {
  my_requests: [
    'reply_from_desk',
    'waiting_for_you',
    'resolved',
    'followed_update',
    'followed_resolved',
    'moved_to_incident',
    'rate_handling',
  ],
  ticket_work: [
    'reply_from_requester',
    'assigned_to_you',
    'escalated_to_you',
    'role_assigned_to_you',
    'task_overdue',
    'meeting_invitation',
    'action_item_due',
    'automation_notice',
  ],
  sla: ['sla_warning', 'sla_breached'],
  paging: ['paged', 'role_paged'],
  major_incidents: ['storm_proposed', 'update_due', 'update_overdue', 'stakeholder_update'],
} as const satisfies Record<string, readonly NotificationReason[]>;
export type NotificationGroup = keyof typeof NOTIFICATION_GROUPS;
export const NOTIFICATION_GROUP_NAMES = Object.keys(NOTIFICATION_GROUPS) as NotificationGroup[];
export const NOTIFICATION_CHANNELS = ['email', 'in_app'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export type NotificationPreferences = Partial<Record<NotificationGroup, Partial<Record<NotificationChannel, boolean>>>>;

export function groupOf(reason: NotificationReason): NotificationGroup {
  return NOTIFICATION_GROUP_NAMES.find((g) => (NOTIFICATION_GROUPS[g] as readonly string[]).includes(reason)) as NotificationGroup;
}

/** The channels a person wants for one reason. Pages always reach someone: in-app at least. */
export function channelsFor(
  person: { emailNotifications: boolean; notificationPreferences: NotificationPreferences },
  reason: NotificationReason,
): NotificationChannel[] {
  const chosen = person.notificationPreferences[groupOf(reason)] ?? {};
  const out: NotificationChannel[] = [];
  if (person.emailNotifications && chosen.email !== false) out.push('email');
  if (chosen.in_app !== false || (isPage(reason) && out.length === 0)) out.push('in_app');
  return out;
}

const isPage = (reason: NotificationReason) => reason === 'paged' || reason === 'role_paged';

export interface Recipient {
  userId: string;
  reason: NotificationReason;
}

function stateChange(event: NotifiableEvent): { to: unknown; onHoldReason: unknown } | null {
  const state = event.changes?.find((c) => c.field === 'state');
  if (!state) return null;
  return { to: state.to, onHoldReason: event.changes?.find((c) => c.field === 'onHoldReason')?.to ?? null };
}

export function recipientsFor(event: NotifiableEvent, ticket: NotifiableTicket): Recipient[] {
  const out: Recipient[] = [];
  const add = (userId: string | null, reason: NotificationReason) => {
    if (userId && userId !== event.actorId && !out.some((r) => r.userId === userId)) out.push({ userId, reason });
  };
  switch (event.type) {
    case 'comment':
      if (event.actorId === ticket.requesterId) add(ticket.assigneeId ?? ticket.teamManagerId, 'reply_from_requester');
      else add(ticket.requesterId, 'reply_from_desk');
      // The desk's public update is news for everyone following (an agent who opened a major
      // incident is its requester too); what a requester wrote is never sent to strangers.
      if (event.actorIsStaff) for (const userId of ticket.followerIds ?? []) add(userId, 'followed_update');
      break;
    case 'state_changed': {
      const change = stateChange(event);
      // A disturbance resolved by its promotion: its `promoted` note told them where it went.
      const promoted = event.changes?.some((c) => c.field === 'resolutionCode' && c.to === 'promoted_to_incident');
      if (change?.to === 'resolved' && !promoted) {
        add(ticket.requesterId, 'resolved');
        for (const userId of ticket.followerIds ?? []) add(userId, 'followed_resolved');
      }
      if (change?.to === 'on_hold' && change.onHoldReason === 'awaiting_requester') add(ticket.requesterId, 'waiting_for_you');
      // Closed: the requester is asked to rate the handling — even when they closed it themselves
      // by confirming the fix, which is the one time their own action is news to them.
      if (change?.to === 'closed' && !out.some((r) => r.userId === ticket.requesterId)) {
        out.push({ userId: ticket.requesterId, reason: 'rate_handling' });
      }
      break;
    }
    case 'promoted':
      // On the disturbance (the note names the incident it became): the person who reported it
      // and those following it hear it moved, and where to follow it now. The incident's own
      // note (`from`) tells nobody: its requester is the same person, told just here.
      if (event.data?.to) {
        add(ticket.requesterId, 'moved_to_incident');
        for (const userId of ticket.followerIds ?? []) add(userId, 'moved_to_incident');
      }
      break;
    case 'assigned': {
      const assignee = event.changes?.find((c) => c.field === 'assigneeId');
      if (assignee?.to) add(String(assignee.to), 'assigned_to_you');
      break;
    }
    case 'sla_warning':
      if (ticket.assigneeId) add(ticket.assigneeId, 'sla_warning');
      else for (const userId of [ticket.teamManagerId, ...(ticket.teamMemberIds ?? [])]) add(userId, 'sla_warning');
      break;
    case 'sla_breached':
      add(ticket.assigneeId, 'sla_breached');
      add(ticket.teamManagerId, 'sla_breached');
      break;
    case 'escalated': {
      // To a named person if there is one; a functional escalation otherwise reaches whoever now
      // owns the ticket (assignee, else the new team's manager), a hierarchical one the manager.
      // `ticket` is the ticket after the escalation.
      const named = typeof event.data?.toUserId === 'string' ? event.data.toUserId : null;
      if (event.data?.kind === 'hierarchical') add(named ?? ticket.teamManagerId, 'escalated_to_you');
      else add(named ?? ticket.assigneeId ?? ticket.teamManagerId, 'escalated_to_you');
      break;
    }
    case 'page_notified': {
      // Everyone the step reached, whoever asked for the page: being on call means hearing of it.
      const userIds = Array.isArray(event.data?.userIds) ? (event.data.userIds as string[]) : [];
      for (const userId of userIds) if (!out.some((r) => r.userId === userId)) out.push({ userId, reason: 'paged' });
      break;
    }
    case 'role_assigned':
    case 'role_handed_over': {
      // The person who now holds the role. A role that pages gets them a real page instead (the
      // `page_role_holder` follow-up): its `page_notified` reaches them, with the acknowledge link.
      const holder = typeof event.data?.userId === 'string' ? event.data.userId : null;
      if (event.data?.pages !== true) add(holder, 'role_assigned_to_you');
      break;
    }
    case 'task_overdue': {
      // The incident manager hears of every overdue task; the task's owner of their own.
      for (const key of ['incidentManagerId', 'ownerId']) {
        const userId = event.data?.[key];
        if (typeof userId === 'string' && !out.some((r) => r.userId === userId)) out.push({ userId, reason: 'task_overdue' });
      }
      break;
    }
    case 'automation_ran': {
      // The people a rule names to notify (the rule's work has no person behind it to skip).
      const ids = Array.isArray(event.data?.notifyUserIds) ? event.data.notifyUserIds : [];
      for (const userId of ids) if (typeof userId === 'string') add(userId, 'automation_notice');
      break;
    }
    case 'action_item_reminder': {
      const userId = event.data?.ownerId;
      if (typeof userId === 'string') out.push({ userId, reason: 'action_item_due' });
      break;
    }
    case 'update_due': {
      const userId = event.data?.userId;
      if (typeof userId === 'string') out.push({ userId, reason: 'update_due' });
      break;
    }
    case 'update_overdue': {
      const userId = event.data?.incidentManagerId;
      if (typeof userId === 'string') out.push({ userId, reason: 'update_overdue' });
      break;
    }
    case 'stakeholder_update': {
      // The people of the non-public audiences ticked; the public ones hear the update as a comment.
      const userIds = Array.isArray(event.data?.userIds) ? (event.data.userIds as string[]) : [];
      for (const userId of userIds) add(userId, 'stakeholder_update');
      break;
    }
    case 'meeting_scheduled':
    case 'meeting_updated': {
      // Newly invited attendees (a change of time re-invites everyone the event names).
      const invited = Array.isArray(event.data?.invitedIds) ? (event.data.invitedIds as string[]) : [];
      for (const userId of invited) add(userId, 'meeting_invitation');
      break;
    }
  }
  return out;
}
