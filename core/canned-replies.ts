/**
 * Canned replies (issue 18 item 4): a named reply an agent inserts from the composer, with
 * variables filled from the ticket. The variable syntax and the refusal of unknown names are the
 * stakeholder-update templates' (`{name}`, core/stakeholder-updates.ts), so an admin learns one
 * way of writing templates. Pure: the service gathers the values, these rules fill them in.
 */

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

const VARIABLE = /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;

/** The `{names}` in a text that are not variables, each once, in the order they appear. */
export function unknownCannedReplyVariables(text: string): string[] {
  const unknown: string[] = [];
  for (const [, name] of text.matchAll(VARIABLE)) {
    if (!(name in CANNED_REPLY_VARIABLES) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

export function unknownCannedReplyVariablesMessage(unknown: readonly string[]): string {
  const names = unknown.map((n) => `{${n}}`).join(', ');
  return `${unknown.length === 1 ? 'is not a variable' : 'are not variables'}: ${names}; the variables are ${CANNED_REPLY_VARIABLE_NAMES.map((n) => `{${n}}`).join(', ')}`;
}

/**
 * The text with every variable filled in. Nothing is escaped here: the reply is plain text, shown
 * escaped like every comment. Unknown names stay as written (saving refuses them first).
 */
export function renderCannedReply(text: string, values: Record<CannedReplyVariable, string>): string {
  return text.replace(VARIABLE, (whole, name: string) => (name in CANNED_REPLY_VARIABLES ? values[name as CannedReplyVariable] : whole));
}

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
