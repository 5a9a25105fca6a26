/**
 * Canned replies (issue 18 item 4): a named reply an agent inserts from the composer, with
 * variables filled from the ticket. The variable syntax and the refusal of unknown names are the
 * stakeholder-update templates' (`{name}`, core/text-template.ts), so an admin learns one
 * way of writing templates. Pure: the service gathers the values, these rules fill them in.
 */
import { textTemplates } from './text-template.js';

export const CANNED_REPLY_VARIABLES = {
  requester_name: 'the requester’s name',
  ticket_number: 'the ticket number, e.g. INC0001042',
  ticket_title: 'the ticket title',
  service: 'the ticket’s service, or "the service" when none is set',
  due: 'the next SLA due time in the requester’s time zone, or "soon" when no target runs',
  agent_name: 'your name (the agent sending the reply)',
} as const;
export type CannedReplyVariable = keyof typeof CANNED_REPLY_VARIABLES;
export const CANNED_REPLY_VARIABLE_NAMES = Object.keys(CANNED_REPLY_VARIABLES) as CannedReplyVariable[];

/** Who may use a canned reply: every staff member (shared) or only the one who wrote it (personal). */
export const CANNED_REPLY_SCOPES = ['shared', 'personal'] as const;
export type CannedReplyScope = (typeof CANNED_REPLY_SCOPES)[number];

/** The states a canned reply may move a ticket to when it is sent (each with what the move needs). */
export const CANNED_REPLY_STATES = ['in_progress', 'on_hold', 'resolved'] as const;
export type CannedReplyState = (typeof CANNED_REPLY_STATES)[number];

const templates = textTemplates(CANNED_REPLY_VARIABLES);

/** The `{names}` in a text that are not variables, each once, in the order they appear. */
export const unknownCannedReplyVariables = templates.unknownVariables;
export const unknownCannedReplyVariablesMessage = templates.unknownVariablesMessage;
/** The text with every variable filled in (plain text; unknown names stay as written). */
export const renderCannedReply = templates.render;

/** A due time as the requester reads it: their zone's wall clock and the zone's name. */
export function formatDueFor(due: Date | null, timeZone: string): string {
  if (!due) return 'soon';
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(due);
  return `${text} (${zone})`;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
