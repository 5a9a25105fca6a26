import {
  CHANNELS,
  type Channel,
  ON_HOLD_REASONS,
  type OnHoldReason,
  RESOLUTION_CODES,
  type ResolutionCode,
  TICKET_STATES,
  type TicketState,
} from '../vocabulary.js';

/**
 * How ServiceNow's values become Firebreak's: states (an "Awaiting …" state is a hold with its
 * reason), channels (`contact_type`) and closure codes. Keys are compared case-insensitively.
 * This is the default; a desk may hand its own table (a JSON file of the same shape) to the
 * importer. The original value is always kept on the ticket beside the mapped one.
 */
export interface ServiceNowMapping {
  states: Record<string, { state: TicketState; holdReason?: OnHoldReason }>;
  channels: Record<string, Channel>;
  /** The channel of a contact type the table does not name. */
  defaultChannel: Channel;
  closeCodes: Record<string, ResolutionCode>;
  /** The resolution of a resolved ticket whose close code the table does not name. */
  defaultCloseCode: ResolutionCode;
}

export const DEFAULT_SERVICENOW_MAPPING: ServiceNowMapping = {
  states: {
    new: { state: 'new' },
    active: { state: 'in_progress' },
    'in progress': { state: 'in_progress' },
    assigned: { state: 'assigned' },
    'awaiting user info': { state: 'on_hold', holdReason: 'awaiting_requester' },
    'awaiting caller': { state: 'on_hold', holdReason: 'awaiting_requester' },
    'awaiting evidence': { state: 'on_hold', holdReason: 'awaiting_requester' },
    'awaiting vendor': { state: 'on_hold', holdReason: 'awaiting_vendor' },
    'awaiting problem': { state: 'on_hold', holdReason: 'awaiting_problem' },
    'awaiting change': { state: 'on_hold', holdReason: 'awaiting_change' },
    'on hold': { state: 'on_hold', holdReason: 'awaiting_requester' },
    resolved: { state: 'resolved' },
    closed: { state: 'closed' },
    canceled: { state: 'cancelled' },
    cancelled: { state: 'cancelled' },
  },
  channels: {
    phone: 'phone',
    ivr: 'phone',
    email: 'email',
    'e-mail': 'email',
    'self service': 'portal',
    'self-service': 'portal',
    web: 'portal',
    portal: 'portal',
    chat: 'chat',
    'virtual agent': 'chat',
    'direct opening': 'walk_in',
    'walk-in': 'walk_in',
    monitoring: 'alert',
    'event management': 'alert',
  },
  defaultChannel: 'phone',
  closeCodes: {
    'solved (permanently)': 'solved_permanently',
    'solved (work around)': 'solved_workaround',
    'solved remotely (permanently)': 'solved_remotely',
    'solved remotely (work around)': 'solved_remotely',
    'not solved (not reproducible)': 'not_reproducible',
    'not solved (too costly)': 'no_fault_found',
    'closed/resolved by caller': 'resolved_by_caller',
    duplicate: 'duplicate',
    'resolved by change': 'resolved_by_change',
  },
  defaultCloseCode: 'solved_permanently',
};

/** A user's table checked against Firebreak's vocabularies: each wrong entry named, in words. */
export function checkMapping(input: unknown): { ok: true; mapping: ServiceNowMapping } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const m = (input ?? {}) as Partial<ServiceNowMapping>;
  const lower = <T>(r: Record<string, T> | undefined): Record<string, T> =>
    Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v]));
  const states = { ...DEFAULT_SERVICENOW_MAPPING.states, ...lower(m.states) };
  for (const [k, v] of Object.entries(states)) {
    if (!TICKET_STATES.includes(v?.state))
      problems.push(`state "${k}": "${v?.state}" is not a Firebreak state (${TICKET_STATES.join(', ')})`);
    if (v?.state === 'on_hold' && !ON_HOLD_REASONS.includes(v.holdReason as OnHoldReason)) {
      problems.push(`state "${k}": a hold needs a reason (${ON_HOLD_REASONS.join(', ')})`);
    }
  }
  const channels = { ...DEFAULT_SERVICENOW_MAPPING.channels, ...lower(m.channels) };
  for (const [k, v] of Object.entries(channels))
    if (!CHANNELS.includes(v)) problems.push(`channel "${k}": "${v}" is not a Firebreak channel`);
  const closeCodes = { ...DEFAULT_SERVICENOW_MAPPING.closeCodes, ...lower(m.closeCodes) };
  for (const [k, v] of Object.entries(closeCodes)) {
    if (!RESOLUTION_CODES.includes(v)) problems.push(`close code "${k}": "${v}" is not a Firebreak resolution code`);
  }
  const defaultChannel = m.defaultChannel ?? DEFAULT_SERVICENOW_MAPPING.defaultChannel;
  if (!CHANNELS.includes(defaultChannel)) problems.push(`defaultChannel: "${defaultChannel}" is not a Firebreak channel`);
  const defaultCloseCode = m.defaultCloseCode ?? DEFAULT_SERVICENOW_MAPPING.defaultCloseCode;
  if (!RESOLUTION_CODES.includes(defaultCloseCode))
    problems.push(`defaultCloseCode: "${defaultCloseCode}" is not a Firebreak resolution code`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, mapping: { states, channels, defaultChannel, closeCodes, defaultCloseCode } };
}
