import { CHANNELS, type Channel, ON_HOLD_REASONS, RESOLUTION_CODES, type ResolutionCode, TICKET_STATES } from '../vocabulary.js';
import { detectDelimiter } from './delimiter.js';
import { type ImportOptions, type RefusalWords, type RefusedRow, readRow, type Snapshot } from './servicenow.js';
import { DEFAULT_SERVICENOW_MAPPING, type ServiceNowMapping } from './servicenow-mapping.js';

/**
 * The generic import (issue 16, item 6): a desk coming from anywhere says which of its columns
 * holds which of Firebreak's fields, and how its values read. Its rows are then renamed into the
 * ServiceNow reader's columns (core/import/servicenow.ts), so one reader, one history builder and
 * one importer serve both; only the names of columns in messages are turned back into the file's.
 */

/** The fields a column can be mapped to, each with the ServiceNow column the reader knows it by. */
export const GENERIC_FIELDS = {
  number: 'number',
  title: 'short_description',
  description: 'description',
  state: 'incident_state',
  priority: 'priority',
  impact: 'impact',
  urgency: 'urgency',
  channel: 'contact_type',
  category: 'category',
  subcategory: 'subcategory',
  team: 'assignment_group',
  assignee: 'assigned_to',
  requester: 'caller_id',
  openedBy: 'opened_by',
  openedAt: 'opened_at',
  updatedBy: 'sys_updated_by',
  updatedAt: 'sys_updated_at',
  updateNumber: 'sys_mod_count',
  resolvedBy: 'resolved_by',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  resolutionCode: 'close_code',
  resolutionNotes: 'close_notes',
} as const;
export type GenericField = keyof typeof GENERIC_FIELDS;
export const GENERIC_FIELD_NAMES = Object.keys(GENERIC_FIELDS) as GenericField[];
/** Without these a row cannot become a ticket. */
export const REQUIRED_FIELDS: readonly GenericField[] = ['number', 'state', 'openedAt'];

/** What each field is, for the people mapping columns (Admin › Import and the README). */
export const GENERIC_FIELD_LABELS: Record<GenericField, string> = {
  number: 'Ticket number',
  title: 'Title',
  description: 'Description',
  state: 'State',
  priority: 'Priority',
  impact: 'Impact',
  urgency: 'Urgency',
  channel: 'Channel',
  category: 'Category',
  subcategory: 'Subcategory',
  team: 'Team',
  assignee: 'Assignee',
  requester: 'Requester',
  openedBy: 'Opened by',
  openedAt: 'Opened at',
  updatedBy: 'Updated by',
  updatedAt: 'Updated at',
  updateNumber: 'Update number (one row per update)',
  resolvedBy: 'Resolved by',
  resolvedAt: 'Resolved at',
  closedAt: 'Closed at',
  resolutionCode: 'Resolution code',
  resolutionNotes: 'Resolution notes',
};

/** The mapping file's shape (JSON): field → column, value tables, and how dates read. */
export interface GenericMapping {
  columns: Partial<Record<GenericField, string>>;
  /** A source state → a Firebreak state, or `on_hold:awaiting_vendor` for a hold with its reason. */
  states: Record<string, string>;
  /** A source priority → 1 (critical) … 5 (planning). */
  priorities: Record<string, number>;
  channels: Record<string, Channel>;
  resolutionCodes: Record<string, ResolutionCode>;
  /** e.g. `D/M/YYYY HH:mm`; absent: detected. */
  dateFormat?: string;
  /** IANA zone of the file's times; default UTC. */
  timeZone?: string;
}

const lowerKeys = <T>(r: Record<string, T> | undefined): Record<string, T> =>
  Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v]));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A mapping file checked: every mistake named by its place in the file, in words. Column names
 * are compared as the readers give them (trimmed, lower-cased).
 */
export function checkGenericMapping(input: unknown): { ok: true; mapping: GenericMapping } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (!isRecord(input)) return { ok: false, problems: ['the mapping must be a JSON object with "columns"'] };
  const columns: Partial<Record<GenericField, string>> = {};
  if (!isRecord(input.columns)) problems.push('"columns" must be an object: Firebreak field → column of the file');
  else {
    for (const [field, column] of Object.entries(input.columns)) {
      if (!(field in GENERIC_FIELDS)) problems.push(`columns.${field}: not a field (${GENERIC_FIELD_NAMES.join(', ')})`);
      else if (typeof column !== 'string' || column.trim() === '') problems.push(`columns.${field}: must name a column`);
      else columns[field as GenericField] = column.trim().toLowerCase();
    }
    for (const field of REQUIRED_FIELDS)
      if (!columns[field]) problems.push(`columns.${field}: is required (${GENERIC_FIELD_LABELS[field]})`);
  }
  const table = (name: string): Record<string, unknown> => {
    const v = input[name];
    if (v === undefined) return {};
    if (!isRecord(v)) {
      problems.push(`"${name}" must be an object: value in the file → Firebreak's value`);
      return {};
    }
    return lowerKeys(v);
  };
  const states = table('states');
  for (const [k, v] of Object.entries(states)) {
    const [state, reason] = String(v).split(':');
    if (!(TICKET_STATES as readonly string[]).includes(state))
      problems.push(`states."${k}": "${v}" is not a state (${TICKET_STATES.join(', ')})`);
    else if (reason !== undefined && (state !== 'on_hold' || !(ON_HOLD_REASONS as readonly string[]).includes(reason)))
      problems.push(`states."${k}": a hold's reason is one of ${ON_HOLD_REASONS.join(', ')}`);
  }
  const priorities = table('priorities');
  for (const [k, v] of Object.entries(priorities))
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 5)
      problems.push(`priorities."${k}": must be 1 (critical) to 5 (planning)`);
  const channels = table('channels');
  for (const [k, v] of Object.entries(channels))
    if (!(CHANNELS as readonly unknown[]).includes(v)) problems.push(`channels."${k}": "${v}" is not a channel (${CHANNELS.join(', ')})`);
  const resolutionCodes = table('resolutionCodes');
  for (const [k, v] of Object.entries(resolutionCodes))
    if (!(RESOLUTION_CODES as readonly unknown[]).includes(v)) problems.push(`resolutionCodes."${k}": "${v}" is not a resolution code`);
  for (const key of ['dateFormat', 'timeZone'] as const) {
    const v = input[key];
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) problems.push(`${key}: must be text`);
  }
  if (typeof input.timeZone === 'string') {
    try {
      new Intl.DateTimeFormat('en', { timeZone: input.timeZone });
    } catch {
      problems.push(`timeZone: "${input.timeZone}" is not a time zone (e.g. Europe/Paris, UTC)`);
    }
  }
  const known = new Set(['columns', 'states', 'priorities', 'channels', 'resolutionCodes', 'dateFormat', 'timeZone']);
  for (const key of Object.keys(input)) if (!known.has(key)) problems.push(`"${key}": not part of a mapping (${[...known].join(', ')})`);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    mapping: {
      columns,
      states: states as Record<string, string>,
      priorities: priorities as Record<string, number>,
      channels: channels as Record<string, Channel>,
      resolutionCodes: resolutionCodes as Record<string, ResolutionCode>,
      ...(typeof input.dateFormat === 'string' ? { dateFormat: input.dateFormat.trim() } : {}),
      ...(typeof input.timeZone === 'string' ? { timeZone: input.timeZone.trim() } : {}),
    },
  };
}

/**
 * The value tables the reader applies: Firebreak's own words (`in_progress`, `In progress`,
 * `walk_in`) and ServiceNow's usual ones are understood without a table; the desk's entries win.
 */
export function readerTables(m: GenericMapping): ServiceNowMapping {
  const states: ServiceNowMapping['states'] = { ...DEFAULT_SERVICENOW_MAPPING.states };
  for (const s of TICKET_STATES) {
    states[s] = { state: s, ...(s === 'on_hold' ? { holdReason: 'awaiting_requester' as const } : {}) };
    states[s.replace('_', ' ')] = states[s];
  }
  for (const [k, v] of Object.entries(m.states)) {
    const [state, reason] = v.split(':') as [ServiceNowMapping['states'][string]['state'], string | undefined];
    states[k] = state === 'on_hold' ? { state, holdReason: (reason ?? 'awaiting_requester') as never } : { state };
  }
  const channels: Record<string, Channel> = { ...DEFAULT_SERVICENOW_MAPPING.channels };
  for (const c of CHANNELS) channels[c] = c;
  const closeCodes: Record<string, ResolutionCode> = { ...DEFAULT_SERVICENOW_MAPPING.closeCodes };
  for (const c of RESOLUTION_CODES) closeCodes[c] = c;
  return {
    ...DEFAULT_SERVICENOW_MAPPING,
    states,
    channels: { ...channels, ...m.channels },
    closeCodes: { ...closeCodes, ...m.resolutionCodes },
  };
}

/** The columns a mapping reads into fields (the rest of a row are source attributes). */
export function mappedColumns(m: GenericMapping): Set<string> {
  return new Set(Object.values(m.columns).filter((c): c is string => !!c));
}

/** Fields whose original value is kept beside the mapped one (as ServiceNow's importer does). */
const ORIGINALS_KEPT: readonly GenericField[] = ['state', 'channel', 'resolutionCode'];

/**
 * A row of the file in the reader's columns, and its source attributes: every column no field
 * reads, plus the original text of the value-mapped ones. A priority the table names becomes its
 * number; anything else is read as ServiceNow's (`2 - High`, `2`, `High`).
 */
export function renameRow(
  values: Record<string, string>,
  m: GenericMapping,
): { values: Record<string, string>; attributes: Record<string, string> } {
  const out: Record<string, string> = {};
  for (const field of GENERIC_FIELD_NAMES) {
    const column = m.columns[field];
    if (!column || values[column] === undefined) continue;
    let value = values[column];
    if (field === 'priority') {
      const n = m.priorities[value.trim().toLowerCase()];
      if (n !== undefined) value = String(n);
    }
    out[GENERIC_FIELDS[field]] = value;
  }
  const mapped = mappedColumns(m);
  const kept = new Set(ORIGINALS_KEPT.map((f) => m.columns[f]));
  const attributes: Record<string, string> = {};
  for (const [column, value] of Object.entries(values)) {
    const v = value.trim();
    if (v === '' || v === '?') continue;
    if (!mapped.has(column) || kept.has(column)) attributes[column] = v;
  }
  return { values: out, attributes };
}

/** A refusal in the reader's words, told with the file's column (`opened_at` → `Created`). */
export function refusalInFileTerms(r: RefusedRow, m: GenericMapping): RefusedRow {
  const field = GENERIC_FIELD_NAMES.find((f) => GENERIC_FIELDS[f] === r.column);
  const column = (field && m.columns[field]) ?? (r.column === 'sys_created_at' ? m.columns.openedAt : undefined);
  return column ? { ...r, column } : r;
}

/** A refusal's words for a file read through a mapping: its own columns, no ServiceNow value forms or options. */
export function genericRefusalWords(m: GenericMapping): RefusalWords {
  return {
    record: 'ticket',
    openedMissing: m.columns.openedAt ? `(the "${m.columns.openedAt}" column is empty)` : '',
    levels: '1, 2 or 3; or High, Medium, Low',
    priorities: Object.keys(m.priorities).length > 0 ? '1 to 5, or a value of the mapping’s priority table' : '1 to 5',
    dateFormatHint: 'set the mapping’s date format, e.g. D/M/YYYY HH:mm',
  };
}

/**
 * One row of a file read through a mapping: renamed into the reader's columns and read, its source
 * attributes the file's own; a refusal told in the file's columns and words.
 */
export function readGenericRow(
  row: number,
  values: Record<string, string>,
  options: ImportOptions,
  m: GenericMapping,
): { ok: true; snapshot: Snapshot } | { ok: false; refused: RefusedRow } {
  const renamed = renameRow(values, m);
  const read = readRow(row, renamed.values, { ...options, words: genericRefusalWords(m) });
  return read.ok
    ? { ok: true, snapshot: { ...read.snapshot, attributes: renamed.attributes } }
    : { ok: false, refused: refusalInFileTerms(read.refused, m) };
}

/** Refuses a header that lacks a column the mapping reads: Row 1 named, with the columns missing. */
export function headerProblem(columns: readonly string[], m: GenericMapping, rowWord = 'Row 1 (the header)'): string | null {
  const have = new Set(columns);
  const missing = [...mappedColumns(m)].filter((c) => !have.has(c));
  if (missing.length === 0) return null;
  const none = missing.length === mappedColumns(m).size;
  const hint = columns.length === 1 ? ' (only one column was found: is the delimiter right?)' : '';
  return `${rowWord} ${none ? 'names none of the mapped columns' : 'lacks mapped columns'}: ${missing.map((c) => `"${c}"`).join(', ')}${hint}.`;
}

/** Words a column's name is often written with, for each field: Admin › Import's first guess. */
const GUESSES: Record<GenericField, string[]> = {
  number: ['number', 'id', 'ticket', 'ticket id', 'ticket number', 'key', 'issue key', 'reference', 'ref'],
  title: ['title', 'subject', 'summary', 'short description', 'short_description', 'name'],
  description: ['description', 'body', 'details', 'text'],
  state: ['state', 'status', 'incident_state', 'ticket status'],
  priority: ['priority', 'prio', 'severity'],
  impact: ['impact'],
  urgency: ['urgency'],
  channel: ['channel', 'source', 'contact type', 'contact_type', 'origin', 'via'],
  category: ['category', 'type'],
  subcategory: ['subcategory', 'sub category', 'sub-category'],
  team: ['team', 'group', 'assignment group', 'assignment_group', 'queue'],
  assignee: ['assignee', 'assigned to', 'assigned_to', 'agent', 'owner', 'responder'],
  requester: ['requester', 'reporter', 'caller', 'caller_id', 'customer', 'requested by', 'contact'],
  openedBy: ['opened by', 'opened_by', 'created by', 'created_by', 'author'],
  openedAt: ['opened at', 'opened_at', 'opened', 'created', 'created at', 'created_at', 'creation date', 'date created'],
  updatedBy: ['updated by', 'updated_by', 'modified by', 'sys_updated_by'],
  updatedAt: ['updated', 'updated at', 'updated_at', 'modified', 'last modified', 'sys_updated_at'],
  updateNumber: ['update number', 'version', 'revision', 'sys_mod_count'],
  resolvedBy: ['resolved by', 'resolved_by'],
  resolvedAt: ['resolved', 'resolved at', 'resolved_at', 'resolution date', 'resolved date'],
  closedAt: ['closed', 'closed at', 'closed_at', 'close date', 'closed date'],
  resolutionCode: ['resolution', 'resolution code', 'close code', 'close_code', 'closed_code'],
  resolutionNotes: ['resolution notes', 'close notes', 'close_notes', 'solution'],
};

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Each field's likely column, by name: an exact word first; a column is given to one field only. */
export function guessColumns(columns: readonly string[]): Partial<Record<GenericField, string>> {
  const taken = new Set<string>();
  const out: Partial<Record<GenericField, string>> = {};
  for (const field of GENERIC_FIELD_NAMES) {
    const words = [field, ...GUESSES[field]].map(squash);
    const column = columns.find((c) => !taken.has(c) && words.includes(squash(c)));
    if (column) {
      out[field] = column;
      taken.add(column);
    }
  }
  return out;
}

/** One line of CSV split at `delimiter` outside quotes, quotes undone (a sample: no line breaks inside fields). */
function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/**
 * The columns and first rows of a file's beginning, as the readers will name them (trimmed,
 * lower-cased), for Admin › Import to offer and guess columns before anything is sent. Best
 * effort: a row cut by the end of the sample, or one that does not parse, is left out.
 */
export function sampleOf(
  text: string,
  /** The sample is the whole file: its last line is whole too. */
  whole: boolean,
): { format: 'csv' | 'jsonl'; columns: string[]; rows: Record<string, string>[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // The last line may be cut short by the sample's end.
  if (lines.length > 1 && !whole) lines.pop();
  if (
    text
      .trimStart()
      .replace(/^\uFEFF/, '')
      .startsWith('{')
  ) {
    const columns = new Set<string>();
    const rows: Record<string, string>[] = [];
    for (const line of lines) {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        const row: Record<string, string> = {};
        for (const [k, v] of Object.entries(parsed)) {
          const key = k.trim().toLowerCase();
          columns.add(key);
          row[key] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        }
        rows.push(row);
      } catch {
        // not an object line: the reader will name it
      }
    }
    return { format: 'jsonl', columns: [...columns], rows };
  }
  const [header = '', ...rest] = lines;
  const delimiter = detectDelimiter(header);
  const columns = splitLine(header, delimiter).map((c) => c.trim().toLowerCase());
  const rows = rest
    .filter((l) => l.trim() !== '')
    .map((l) => splitLine(l, delimiter))
    .filter((fields) => fields.length === columns.length)
    .map((fields) => Object.fromEntries(columns.map((c, i) => [c, fields[i]])));
  return { format: 'csv', columns, rows };
}
