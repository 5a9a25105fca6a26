/**
 * What an admin reads in Failed work when a job's saved payload no longer fits its kind (written
 * by an older version, or edited by hand): which work it was, what is wrong with it in words, and
 * what they can do. Pure: the runner hands over the kind, the payload and the schema's issues.
 */

/** Each job kind as a person names the work. An unknown kind is shown as it is stored. */
export const JOB_NAMES: Readonly<Record<string, string>> = {
  'notification.deliver': 'delivery of a notification',
  'notification.digest': 'gathered e-mail to a requester',
  'ticket.auto_close': 'automatic closing of a resolved ticket',
  'check.run': 'run of a built-in check',
  'alert.resolve_ticket': 'resolving of a ticket whose alerts cleared',
  'sla.check': 'SLA warning or breach check',
  'page.timeout': 'next step of a page nobody acknowledged',
  'page.held': 'page held for a staff member to confirm',
  'attachment.sweep_parts': 'clean-up of unfinished uploads',
  'jobs.clean_done': 'clean-up of finished background work',
};

/** The parts of a schema issue the wording needs (zod's issues fit this shape). */
export interface PayloadIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: string;
  values?: readonly unknown[];
  format?: string;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  object: 'a set of values',
  array: 'a list',
  date: 'a date',
};

const FORMAT_WORDS: Record<string, string> = {
  uuid: 'id',
  guid: 'id',
  datetime: 'date and time',
  date: 'date',
  email: 'e-mail address',
  url: 'web address',
};

/** `ticketId` → "ticket id"; `alerts.2.name` → "name of item 3 of alerts". */
function fieldWords(path: readonly PropertyKey[]): string {
  const words = path.map((part) =>
    typeof part === 'number'
      ? `item ${part + 1}`
      : String(part)
          .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
          .replace(/[_.]/g, ' ')
          .toLowerCase(),
  );
  return words.reverse().join(' of ');
}

function valueAt(payload: unknown, path: readonly PropertyKey[]): unknown {
  let value = payload;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** One issue as a clause: "the ticket id is missing". */
export function issueInWords(issue: PayloadIssue, payload: unknown): string {
  if (issue.path.length === 0) return 'its saved details are not a set of values at all';
  const field = `the ${fieldWords(issue.path)}`;
  switch (issue.code) {
    case 'invalid_type':
      if (valueAt(payload, issue.path) === undefined) return `${field} is missing`;
      return `${field} should be ${TYPE_WORDS[issue.expected ?? ''] ?? issue.expected ?? 'something else'}`;
    case 'invalid_value':
      return issue.values?.length
        ? `${field} should be ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`}`
        : `${field} has a value this version does not know`;
    case 'invalid_format':
      return `${field} is not a valid ${FORMAT_WORDS[issue.format ?? ''] ?? issue.format ?? 'value'}`;
    case 'too_small':
    case 'too_big':
      return `${field} is out of range`;
    default:
      return `${field}: ${issue.message}`;
  }
}

/**
 * The reason shown in Failed work for a job whose payload no longer fits its kind: the work in
 * words (with its kind, to search logs by), what is wrong, that running it again cannot help, and
 * what to do instead.
 */
export function unreadablePayloadReason(kind: string, payload: unknown, issues: readonly PayloadIssue[]): string {
  const name = JOB_NAMES[kind];
  const what = name ? `This ${name} (${kind})` : `This "${kind}" job`;
  const problems = [...new Set(issues.map((issue) => issueInWords(issue, payload)))].join('; ');
  return (
    `${what} cannot run: it was saved by an older version of Firebreak, or edited by hand, and ${problems}. ` +
    'Running it again will fail the same way. If the work still matters, do it by hand on its ticket; otherwise nothing needs doing.'
  );
}
