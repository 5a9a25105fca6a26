import { DateTime } from 'luxon';
import { derivePriority, type PriorityMatrix } from '../priority.js';
import { countsAfter } from '../ticket-counts.js';
import type { Channel, Level, OnHoldReason, Priority, ResolutionCode, TicketState } from '../vocabulary.js';
import type { ServiceNowMapping } from './servicenow-mapping.js';

/**
 * ServiceNow's incident export, read row by row: its column names, its value forms (`2 - Medium`,
 * `?` or empty for missing, dates in the instance's format and zone), and the history of one
 * incident (the event-log form: one row per update, ordered by `sys_mod_count`; the plain form is
 * the same with one row). Pure: the importer service turns the result into tickets.
 */

/** The columns Firebreak reads into its own fields; every other column is a source attribute. */
export const SERVICENOW_FIELDS = [
  'number',
  'incident_state',
  'state',
  'active',
  'reassignment_count',
  'reopen_count',
  'sys_mod_count',
  'made_sla',
  'caller_id',
  'opened_by',
  'opened_at',
  'sys_created_at',
  'sys_created_by',
  'sys_updated_by',
  'sys_updated_at',
  'contact_type',
  'category',
  'subcategory',
  'impact',
  'urgency',
  'priority',
  'assignment_group',
  'assigned_to',
  'closed_code',
  'close_code',
  'resolved_by',
  'resolved_at',
  'closed_at',
  'short_description',
  'description',
  'close_notes',
] as const;

/** Columns kept as they are, beside the ticket: Firebreak has no field for them (or keeps the original). */
const KEPT_AS_ATTRIBUTES = ['made_sla', 'contact_type', 'closed_code', 'close_code', 'incident_state', 'state'];

export interface ImportOptions {
  /** e.g. `D/M/YYYY HH:mm`; absent: detected from the first date (ISO first, then day first). */
  dateFormat?: string;
  /** IANA zone the export's times are in (ServiceNow exports in the exporting user's zone); default UTC. */
  timeZone: string;
  mapping: ServiceNowMapping;
  matrix: PriorityMatrix;
  /** How refusals name the record and the values expected; ServiceNow's words unless given. */
  words?: RefusalWords;
}

/**
 * The words a refusal uses for what the reader expected: ServiceNow's columns and value forms for
 * its export, the file's own for a generic import (core/import/generic-mapping.ts).
 */
export interface RefusalWords {
  /** What one record of the file is. */
  record: string;
  /** Said after "when the … was opened is missing". */
  openedMissing: string;
  levels: string;
  priorities: string;
  /** How to say which date format the file uses. */
  dateFormatHint: string;
}

export const SERVICENOW_WORDS: RefusalWords = {
  record: 'incident',
  openedMissing: '(opened_at and sys_created_at are empty)',
  levels: '1 - High, 2 - Medium or 3 - Low',
  priorities: '1 - Critical … 5 - Planning',
  dateFormatHint: 'give --date-format, e.g. D/M/YYYY HH:mm',
};

/** A row the importer cannot take: its number in the file, the column and why. */
export interface RefusedRow {
  row: number;
  column: string;
  reason: string;
}

/** One row of the export, read: an incident as it stood after update `modCount`. */
export interface Snapshot {
  row: number;
  number: string;
  modCount: number;
  state: TicketState;
  holdReason: OnHoldReason | null;
  sourceState: string;
  caller: string | null;
  openedBy: string | null;
  updatedBy: string | null;
  resolvedBy: string | null;
  openedAt: Date;
  updatedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  channel: Channel;
  category: string | null;
  subcategory: string | null;
  impact: Level;
  urgency: Level;
  priority: Priority;
  /** The imported priority differs from what Firebreak's matrix gives for its impact and urgency. */
  priorityDiffers: boolean;
  group: string | null;
  assignee: string | null;
  resolutionCode: ResolutionCode | null;
  resolutionNotes: string | null;
  reassignmentCount: number | null;
  reopenCount: number | null;
  title: string;
  description: string;
  /** Columns with no Firebreak field, and original values of mapped ones, as exported. */
  attributes: Record<string, string>;
}

/** `?`, empty or blank is missing. */
export function present(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim();
  return v === '' || v === '?' ? null : v;
}

const LEVEL_WORDS: Record<string, number> = { high: 1, medium: 2, low: 3 };
const PRIORITY_WORDS: Record<string, number> = { critical: 1, high: 2, moderate: 3, low: 4, planning: 5 };

/** `2 - Medium`, `2` or `Medium` → 2; null when the value is none of these or out of range. */
export function levelOf(value: string, words: Record<string, number>, max: number): number | null {
  const m = /^(\d+)\s*(?:-.*)?$/.exec(value.trim());
  const n = m ? Number(m[1]) : words[value.trim().toLowerCase()];
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= max ? n : null;
}

/** A moment.js-style format (what ServiceNow and spreadsheets show: `D/M/YYYY HH:mm`) as luxon's. */
export function luxonFormat(format: string): string {
  return format
    .replace(/YYYY/g, 'yyyy')
    .replace(/YY/g, 'yy')
    .replace(/DD/g, 'dd')
    .replace(/(^|[^d])D(?!D)/g, '$1d')
    .replace(/A/g, 'a');
}

const DETECTED_FORMATS = [
  'yyyy-MM-dd HH:mm:ss',
  'yyyy-MM-dd HH:mm',
  "yyyy-MM-dd'T'HH:mm:ss",
  'd/M/yyyy H:mm:ss',
  'd/M/yyyy H:mm',
  'd.M.yyyy H:mm:ss',
  'd.M.yyyy H:mm',
  'M/d/yyyy h:mm:ss a',
  'M/d/yyyy h:mm a',
];

/** A format compiled once: a regular expression and which component each group is. */
interface CompiledFormat {
  pattern: RegExp;
  parts: ('y' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 'a')[];
}
const compiled = new Map<string, CompiledFormat | null>();
const TOKENS: [string, CompiledFormat['parts'][number], string][] = [
  ['yyyy', 'y', '(\\d{4})'],
  ['MM', 'M', '(\\d{2})'],
  ['M', 'M', '(\\d{1,2})'],
  ['dd', 'd', '(\\d{2})'],
  ['d', 'd', '(\\d{1,2})'],
  ['HH', 'H', '(\\d{2})'],
  ['H', 'H', '(\\d{1,2})'],
  ['hh', 'h', '(\\d{2})'],
  ['h', 'h', '(\\d{1,2})'],
  ['mm', 'm', '(\\d{2})'],
  ['ss', 's', '(\\d{2})'],
  ['a', 'a', '([AaPp][Mm])'],
];
/** A luxon format made of numeric tokens, compiled; null for one that needs luxon itself. */
function compile(format: string): CompiledFormat | null {
  if (compiled.has(format)) return compiled.get(format) ?? null;
  const parts: CompiledFormat['parts'] = [];
  let source = '';
  let ok = true;
  for (let i = 0; i < format.length; ) {
    if (format[i] === "'") {
      const close = format.indexOf("'", i + 1);
      if (close < 0) {
        ok = false;
        break;
      }
      source += format.slice(i + 1, close).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i = close + 1;
      continue;
    }
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      parts.push(token[1]);
      source += token[2];
      i += token[0].length;
    } else if (/[A-Za-z]/.test(format[i])) {
      ok = false;
      break;
    } else {
      source += format[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  const result = ok ? { pattern: new RegExp(`^${source}$`), parts } : null;
  compiled.set(format, result);
  return result;
}

/**
 * A zone's offset at a local hour, or null when that hour does not exist there (the clocks went
 * forward over it); asked of luxon once per zone and local hour (a year has 8,760).
 */
const offsets = new Map<string, number | null>();
function offsetAt(zone: string, y: number, M: number, d: number, H: number): number | null {
  const key = `${zone}|${y}-${M}-${d}-${H}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const dt = DateTime.fromObject({ year: y, month: M, day: d, hour: H }, { zone });
  // luxon moves a time in the spring-forward gap: an hour that comes back different never existed.
  let offset = dt.isValid && dt.hour === H && dt.day === d ? dt.offset : null;
  // An hour that happened twice (the clocks went back): the first time, an hour earlier, is taken.
  const before = dt.minus({ hours: 1 });
  if (offset !== null && before.hour === H && before.day === d) offset = before.offset;
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

function parseWith(value: string, format: string, zone: string): { ok: true; at: Date } | { ok: false; reason: string } | null {
  const c = compile(format);
  if (!c) {
    const dt = DateTime.fromFormat(value, format, { zone });
    if (!dt.isValid) return null;
    if (dt.toFormat(format) !== DateTime.fromFormat(value, format, { zone: 'UTC' }).toFormat(format)) {
      return { ok: false, reason: `"${value}" does not exist in ${zone} (the clocks went forward)` };
    }
    return { ok: true, at: dt.toJSDate() };
  }
  const m = c.pattern.exec(value);
  if (!m) return null;
  const v = { y: 0, M: 1, d: 1, H: 0, h: -1, m: 0, s: 0, a: '' };
  c.parts.forEach((p, i) => {
    if (p === 'a') v.a = m[i + 1].toLowerCase();
    else v[p] = Number(m[i + 1]);
  });
  if (v.h >= 0) v.H = (v.h % 12) + (v.a === 'pm' ? 12 : 0);
  const wall = Date.UTC(v.y, v.M - 1, v.d, v.H, v.m, v.s);
  const check = new Date(wall);
  // 31/2 rolls over into March in Date.UTC: a date that comes back different does not exist.
  if (check.getUTCMonth() !== v.M - 1 || check.getUTCDate() !== v.d || v.H > 23 || v.m > 59 || v.s > 59) {
    return { ok: false, reason: `"${value}" is not a date that exists` };
  }
  const offset = offsetAt(zone, v.y, v.M, v.d, v.H);
  if (offset === null) return { ok: false, reason: `"${value}" does not exist in ${zone} (the clocks went forward)` };
  return { ok: true, at: new Date(wall - offset * 60_000) };
}

/**
 * A date of the export in its zone, or why not. A local time that does not exist (skipped when
 * the clocks went forward) is refused; one that happened twice (clocks went back) is the first.
 */
export function parseExportDate(
  value: string,
  format: string | undefined,
  zone: string,
  dateFormatHint = SERVICENOW_WORDS.dateFormatHint,
): { ok: true; at: Date } | { ok: false; reason: string } {
  const formats = format ? [luxonFormat(format)] : DETECTED_FORMATS;
  for (const f of formats) {
    const parsed = parseWith(value, f, zone);
    if (parsed) return parsed;
  }
  return {
    ok: false,
    reason: format ? `"${value}" is not a date in the format ${format}` : `"${value}" is not a date (${dateFormatHint})`,
  };
}

/**
 * One row read into a snapshot, or refused with the column and reason. A missing caller, opener,
 * group or category stays missing; an unknown state, an impossible date or a value out of range
 * refuses the row.
 */
export function readRow(
  row: number,
  values: Record<string, string>,
  options: ImportOptions,
): { ok: true; snapshot: Snapshot } | { ok: false; refused: RefusedRow } {
  const refuse = (column: string, reason: string) => ({ ok: false as const, refused: { row, column, reason } });
  const words = options.words ?? SERVICENOW_WORDS;
  const v = (c: string) => present(values[c]);
  const number = v('number');
  if (!number) return refuse('number', `the ${words.record} number is missing`);

  const dates: Record<string, Date | null> = {};
  for (const c of ['opened_at', 'sys_created_at', 'sys_updated_at', 'resolved_at', 'closed_at']) {
    const text = v(c);
    if (text === null) {
      dates[c] = null;
      continue;
    }
    const parsed = parseExportDate(text, options.dateFormat, options.timeZone, words.dateFormatHint);
    if (!parsed.ok) return refuse(c, parsed.reason);
    dates[c] = parsed.at;
  }
  const openedAt = dates.opened_at ?? dates.sys_created_at;
  if (!openedAt) return refuse('opened_at', `when the ${words.record} was opened is missing ${words.openedMissing}`);

  const stateColumn = values.incident_state !== undefined ? 'incident_state' : 'state';
  const sourceState = v(stateColumn);
  if (!sourceState) return refuse(stateColumn, 'the state is missing');
  const mapped = options.mapping.states[sourceState.toLowerCase()];
  if (!mapped) return refuse(stateColumn, `"${sourceState}" is not a state the mapping table knows (add it to the table)`);

  const levels: Record<string, number> = {};
  for (const c of ['impact', 'urgency'] as const) {
    const text = v(c);
    const n = text === null ? 2 : levelOf(text, LEVEL_WORDS, 3);
    if (n === null) return refuse(c, `"${text}" is not an ${c} (${words.levels})`);
    levels[c] = n;
  }
  const impact = levels.impact as Level;
  const urgency = levels.urgency as Level;
  const fromMatrix = derivePriority(options.matrix, impact, urgency);
  const priorityText = v('priority');
  const priority = priorityText === null ? fromMatrix : levelOf(priorityText, PRIORITY_WORDS, 5);
  if (priority === null) return refuse('priority', `"${priorityText}" is not a priority (${words.priorities})`);

  const counts: Record<string, number | null> = {};
  for (const c of ['sys_mod_count', 'reassignment_count', 'reopen_count']) {
    const text = v(c);
    if (text === null) {
      counts[c] = null;
      continue;
    }
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) return refuse(c, `"${text}" is not a whole number`);
    counts[c] = n;
  }

  const contact = v('contact_type');
  const channel = (contact && options.mapping.channels[contact.toLowerCase()]) || options.mapping.defaultChannel;
  const closeCodeText = v('closed_code') ?? v('close_code');
  const finished = mapped.state === 'resolved' || mapped.state === 'closed';
  const resolutionCode = finished
    ? (closeCodeText && options.mapping.closeCodes[closeCodeText.toLowerCase()]) || options.mapping.defaultCloseCode
    : null;

  const attributes: Record<string, string> = {};
  for (const [column, value] of Object.entries(values)) {
    const p = present(value);
    if (p === null) continue;
    if (!(SERVICENOW_FIELDS as readonly string[]).includes(column) || KEPT_AS_ATTRIBUTES.includes(column)) attributes[column] = p;
  }
  const category = v('category');
  const subcategory = v('subcategory');
  return {
    ok: true,
    snapshot: {
      row,
      number,
      modCount: counts.sys_mod_count ?? 0,
      state: mapped.state,
      holdReason: mapped.state === 'on_hold' ? (mapped.holdReason ?? 'awaiting_requester') : null,
      sourceState,
      caller: v('caller_id'),
      openedBy: v('opened_by') ?? v('sys_created_by'),
      updatedBy: v('sys_updated_by'),
      resolvedBy: v('resolved_by'),
      openedAt,
      updatedAt: dates.sys_updated_at,
      resolvedAt: dates.resolved_at,
      closedAt: dates.closed_at,
      channel,
      category,
      subcategory,
      impact,
      urgency,
      priority: priority as Priority,
      priorityDiffers: priority !== fromMatrix,
      group: v('assignment_group'),
      assignee: v('assigned_to'),
      resolutionCode,
      resolutionNotes: v('close_notes'),
      reassignmentCount: counts.reassignment_count,
      reopenCount: counts.reopen_count,
      title: v('short_description') ?? ([category, subcategory].filter(Boolean).join(' / ') || `Incident ${number}`),
      description: v('description') ?? '',
      attributes,
    },
  };
}

/** A change recorded from the export, at its original time and by its original actor (a person's name). */
export interface HistoryEvent {
  type: 'created' | 'state_changed' | 'assigned' | 'field_changed';
  at: Date;
  /** The person who did it, by the name the export gives; null when the export does not say. */
  actor: string | null;
  /** `team` and `assignee` name people and groups; the importer stores their ids. */
  changes: { field: string; from: unknown; to: unknown }[];
  data?: Record<string, unknown>;
}

/** The ticket an incident's rows make: its fields after the last update, and every update as an event. */
export interface ImportedIncident {
  number: string;
  last: Snapshot;
  /** Only events after `previous` when the incident was imported before (a newer export). */
  events: HistoryEvent[];
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  reassignmentCount: number;
  reopenCount: number;
}

/** Rows of one incident in history order: by sys_mod_count, then by update time, then by row. */
export function historyOrder(a: Snapshot, b: Snapshot): number {
  return a.modCount - b.modCount || (a.updatedAt?.getTime() ?? 0) - (b.updatedAt?.getTime() ?? 0) || a.row - b.row;
}

const isFinished = (s: TicketState) => s === 'resolved' || s === 'closed';

/**
 * The history of one incident from its rows (any order), continuing from `previous` (the last
 * snapshot imported before) when there is one. History is written as it happened, even where
 * today's lifecycle would refuse it live (back to New, closed without a resolve, reopened after
 * closure, worked while unassigned).
 */
export function historyOf(
  rows: readonly Snapshot[],
  previous: (Snapshot & { reassignmentCount: number; reopenCount: number }) | null = null,
  /** Where it came from, recorded on the creation event. */
  source = 'servicenow',
): ImportedIncident {
  const sorted = [...rows].sort(historyOrder);
  const events: HistoryEvent[] = [];
  let before: Snapshot | null = previous;
  let counts = previous
    ? { reassignmentCount: previous.reassignmentCount, reopenCount: previous.reopenCount, staffReplyCount: 0 }
    : { reassignmentCount: sorted[0].reassignmentCount ?? 0, reopenCount: sorted[0].reopenCount ?? 0, staffReplyCount: 0 };
  let firstResponseAt: Date | null = null;
  let resolvedAt: Date | null = previous && isFinished(previous.state) ? (previous.resolvedAt ?? previous.updatedAt) : null;
  let closedAt: Date | null = previous?.state === 'closed' ? (previous.closedAt ?? previous.updatedAt) : null;
  for (const s of sorted) {
    const at = s.updatedAt ?? s.openedAt;
    if (!before) {
      events.push({
        type: 'created',
        at: s.openedAt,
        actor: s.openedBy,
        changes: [],
        data: { imported: source, number: s.number, sourceState: s.sourceState },
      });
      if (s.state !== 'new') firstResponseAt = at;
    } else {
      if (s.group !== before.group || s.assignee !== before.assignee) {
        const changes = [];
        if (s.group !== before.group) changes.push({ field: 'team', from: before.group, to: s.group });
        if (s.assignee !== before.assignee) changes.push({ field: 'assignee', from: before.assignee, to: s.assignee });
        const reassignedTeam = before.group !== null && s.group !== before.group;
        events.push({ type: 'assigned', at, actor: s.updatedBy, changes, ...(reassignedTeam ? { data: { reassignedTeam: true } } : {}) });
      }
      if (s.priority !== before.priority || s.impact !== before.impact || s.urgency !== before.urgency) {
        const changes = (['impact', 'urgency', 'priority'] as const)
          .filter((f) => s[f] !== before?.[f])
          .map((f) => ({ field: f, from: before?.[f], to: s[f] }));
        events.push({ type: 'field_changed', at, actor: s.updatedBy, changes });
      }
      if (s.state !== before.state || s.holdReason !== before.holdReason) {
        const changes: HistoryEvent['changes'] = [{ field: 'state', from: before.state, to: s.state }];
        if (s.holdReason !== before.holdReason) changes.push({ field: 'onHoldReason', from: before.holdReason, to: s.holdReason });
        if (s.state === 'resolved' && s.resolutionCode) changes.push({ field: 'resolutionCode', from: null, to: s.resolutionCode });
        const reopened = isFinished(before.state) && !isFinished(s.state) && s.state !== 'cancelled';
        const actor = s.state === 'resolved' ? (s.resolvedBy ?? s.updatedBy) : s.updatedBy;
        events.push({
          type: 'state_changed',
          at: s.state === 'resolved' && s.resolvedAt ? s.resolvedAt : s.state === 'closed' && s.closedAt ? s.closedAt : at,
          actor,
          changes,
          data: { sourceState: s.sourceState, ...(reopened ? { action: 'reopen' } : {}) },
        });
      }
      if (firstResponseAt === null && before.state === 'new' && s.state !== 'new') firstResponseAt = at;
      const next = countsAfter(
        { teamId: before.group, assigneeId: before.assignee, state: before.state, ...counts },
        { teamId: s.group, assigneeId: s.assignee, state: s.state },
        [],
        false,
      );
      counts = { ...counts, ...next };
    }
    if (isFinished(s.state)) {
      resolvedAt = s.resolvedAt ?? (before && isFinished(before.state) ? resolvedAt : at);
      closedAt = s.state === 'closed' ? (s.closedAt ?? at) : null;
    } else {
      resolvedAt = null;
      closedAt = null;
    }
    before = s;
  }
  const last = sorted[sorted.length - 1];
  if (!previous && sorted.length === 1) {
    // The one-row form: the export's own counts are all there is.
    counts = { ...counts, reassignmentCount: last.reassignmentCount ?? 0, reopenCount: last.reopenCount ?? 0 };
    if (last.state !== 'new') firstResponseAt = null;
  }
  return {
    number: last.number,
    last,
    events,
    firstResponseAt,
    resolvedAt,
    closedAt,
    reassignmentCount: counts.reassignmentCount,
    reopenCount: counts.reopenCount,
  };
}

/** A snapshot as JSON (kept to continue the history from when a newer export comes) and back. */
export function snapshotToJson(s: Snapshot): Record<string, unknown> {
  return { ...s };
}
export function snapshotFromJson(json: Record<string, unknown>): Snapshot {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    ...(json as unknown as Snapshot),
    openedAt: new Date(json.openedAt as string),
    updatedAt: date(json.updatedAt),
    resolvedAt: date(json.resolvedAt),
    closedAt: date(json.closedAt),
  };
}
