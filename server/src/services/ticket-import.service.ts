import { randomUUID } from 'node:crypto';
import { CsvError, type CsvHeader, type CsvRecord } from '../../../core/import/csv-source.js';
import {
  historyOf,
  type ImportedIncident,
  type ImportOptions,
  type RefusedRow,
  type readRow,
  type Snapshot,
  snapshotFromJson,
  snapshotToJson,
} from '../../../core/import/servicenow.js';
import type { ServiceNowMapping } from '../../../core/import/servicenow-mapping.js';
import type { Actor } from '../../../core/permissions.js';
import { parseTicketNumber } from '../../../core/ticket-number.js';
import type { Role } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import {
  analyzeAfterImport,
  analyzeWhileImporting,
  ensureCategories,
  ensureTeams,
  findImportedRecords,
  findPeopleByNames,
  type ImportedRecordRow,
  insertImportedPeople,
  moveNumberSequencePast,
  promoteImportedPeople,
  releaseImportLock,
  renewImportLock,
  saveImportedRecords,
  takeImportLock,
  takenTicketNumbers,
} from '../repositories/imports.repository.js';
import { deferRollups } from '../repositories/kpi-pending.repository.js';
import { lockTicket, type NewTicketRow } from '../repositories/tickets.repository.js';
import { announceRefresh } from '../repositories/timeline.repository.js';
import type { ServiceDeps } from './deps.js';
import { type ImportSlaSetup, loadImportSlaSetup, withImportedSla } from './imported-sla.service.js';
import { countPendingTicketsNow } from './kpi-rollup-drain.service.js';
import { getPriorityMatrix } from './priority-matrix.service.js';
import { applyTicketChange, type ChangeEvent, createImportedTickets } from './ticket-change.js';

/**
 * Importing tickets from another tool's export (issue 16): ServiceNow's incident export, or any
 * CSV / JSON lines file through a column mapping (an `ImportFormat` says how its rows read). In
 * either form — one row per incident, or one row per update — rows become tickets whose
 * timelines hold every update at its original time and by its original actor. Everything goes through the ticket-change pipeline
 * as `silent: 'import'`, so nothing follows: no notification, webhook, SLA timer, page or
 * automation. Two passes over the file keep memory flat: the first reads and checks every row
 * (and is the whole of a dry run), the second writes each incident once all its rows are read,
 * a batch at a time, the next batch read while the last is written.
 */

/** The lease of the import lock, renewed every batch: an importer that died frees it after this. */
export const IMPORT_LEASE_MS = 60_000;

/** Pending tickets added to the rollups per statement at an import's end (bounds one statement's arrays). */
const ROLLUP_DRAIN_CHUNK = 50_000;

export class ImportRefused extends Error {}

/** How one kind of file reads: the only part of an import that differs between sources. */
export interface ImportFormat {
  /** The key of imported records: the numbers of one source never meet another's. */
  source: string;
  /** The source in words, for records people read ("ServiceNow"). */
  label: string;
  /** The person a ticket without a requester is filed under. */
  unknownRequester: string;
  read: (bytes: AsyncIterable<Uint8Array>, onHeader?: (header: CsvHeader) => void) => AsyncGenerator<CsvRecord>;
  /** Throws a CsvError naming row 1 when the file is not of this kind. */
  checkHeader: (header: CsvHeader) => void;
  readRow: (row: number, values: Record<string, string>, options: ImportOptions) => ReturnType<typeof readRow>;
  /** The value tables used unless the input brings its own. */
  mapping: ServiceNowMapping;
}

export interface TicketImportInput {
  /** Opens the file from its start (read twice). */
  open: () => AsyncIterable<Uint8Array>;
  dryRun: boolean;
  dateFormat?: string;
  timeZone?: string;
  mapping?: ServiceNowMapping;
  /** Who runs it, named to a second import that is refused. */
  holder: string;
  onProgress?: (progress: { phase: 'reading' | 'writing'; rows: number; totalRows: number | null; incidents: number }) => void;
  /** Incidents per transaction. */
  batchSize?: number;
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  incidents: number;
  created: number;
  updated: number;
  unchanged: number;
  refused: RefusedRow[];
  /** New people, teams and categories (would be) created, by name. */
  newPeople: number;
  newTeams: number;
  newCategories: number;
  /** Originals whose number was taken here: kept as the ticket's external reference. */
  renumbered: number;
  header: CsvHeader | null;
}

interface Names {
  people: Map<string, { name: string; staff: boolean }>;
  /** By lower-cased name: the name as first met. */
  teams: Map<string, string>;
  /** Category (lower-cased) → its name and its subcategories' names (lower-cased → as met). */
  categories: Map<string, { name: string; subcategories: Map<string, string> }>;
}

export async function importTickets(deps: ServiceDeps, format: ImportFormat, input: TicketImportInput): Promise<ImportReport> {
  const { db, clock } = deps;
  const lease = () => new Date(clock.now().getTime() + IMPORT_LEASE_MS);
  if (!input.dryRun) {
    const lock = await takeImportLock(db, input.holder, clock.now(), lease());
    if (!lock.ok) {
      throw new ImportRefused(
        `Another import is running (${lock.holder}, since ${lock.startedAt.toISOString()}); try again when it has finished.`,
      );
    }
  }
  try {
    const options = await readerOptions(deps, format, input);
    // Pass 1: read and check every row; count each incident's rows, collect the names it uses.
    const report: ImportReport = {
      dryRun: input.dryRun,
      rows: 0,
      incidents: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      refused: [],
      newPeople: 0,
      newTeams: 0,
      newCategories: 0,
      renumbered: 0,
      header: null,
    };
    const rowsOf = new Map<string, number>();
    const names: Names = { people: new Map(), teams: new Map(), categories: new Map() };
    for await (const record of format.read(input.open(), (h) => {
      report.header = h;
      format.checkHeader(h);
    })) {
      report.rows++;
      const read = format.readRow(record.row, record.values, options);
      if (!read.ok) {
        report.refused.push(read.refused);
        continue;
      }
      const s = read.snapshot;
      rowsOf.set(s.number, (rowsOf.get(s.number) ?? 0) + 1);
      collectNames(names, s, format.unknownRequester);
      if (report.rows % 10_000 === 0) input.onProgress?.({ phase: 'reading', rows: report.rows, totalRows: null, incidents: rowsOf.size });
    }
    if (report.header === null) throw new CsvError('The file has no header line.', 1);
    report.incidents = rowsOf.size;
    const known = await findPeopleByNames(db, [...names.people.keys()]);
    report.newPeople = [...names.people.keys()].filter((k) => !known.has(k)).length;
    report.newTeams = names.teams.size;
    report.newCategories = names.categories.size;

    if (input.dryRun) {
      await countOutcomes(deps, format, rowsOf, report, input);
      return report;
    }

    // Pass 2: write each incident once all its rows are in, in batches of one transaction each.
    // Tickets an import that died left uncounted are counted first (migration 0074).
    await addPendingToRollups(db);
    await createPeople(deps, names, format.source);
    const ids = new Ids(deps);
    await ids.loadTeamsAndCategories(names);
    ids.sla = await loadImportSlaSetup(db);
    const waiting = new Map<string, Snapshot[]>();
    let batch: Snapshot[][] = [];
    const maxSequence = new Map<string, number>();
    let rows = 0;
    let written = 0;
    let batches = 0;
    const write = async (incidents: Snapshot[][], rowsRead: number) => {
      await writeBatch(deps, format, ids, incidents, report, maxSequence);
      // Past the imported numbers at once: a ticket reported meanwhile must not draw one.
      const highest = maxSequence.get('INC');
      if (highest !== undefined) await moveNumberSequencePast(db, 'incident', highest);
      written += incidents.length;
      batches++;
      // The planner's statistics as the tables grow (after batches 1, 2, 4, 8, …: a few cheap
      // sampled ANALYZEs), so each batch's lookups plan for the tables as they are by now.
      if ((batches & (batches - 1)) === 0) await analyzeWhileImporting(db);
      await renewImportLock(db, input.holder, lease());
      input.onProgress?.({ phase: 'writing', rows: rowsRead, totalRows: report.rows, incidents: written });
    };
    // One batch is written while the next is read and parsed: the database's work and this
    // process's overlap, and batches still commit one after another in the file's order.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (batch.length === 0) return;
      await writing;
      writing = write(batch, rows);
      writing.catch(() => {}); // awaited at the next flush or at the end; not unhandled meanwhile
      batch = [];
    };
    try {
      for await (const record of format.read(input.open())) {
        rows++;
        const read = format.readRow(record.row, record.values, options);
        if (!read.ok) continue;
        const s = read.snapshot;
        const group = waiting.get(s.number) ?? [];
        group.push(s);
        if (group.length < (rowsOf.get(s.number) ?? 1)) {
          waiting.set(s.number, group);
          continue;
        }
        waiting.delete(s.number);
        batch.push(group);
        if (batch.length >= (input.batchSize ?? 200)) await flush();
      }
      await flush();
      await writing;
      // The batches deferred their rollups: every new ticket is added now, a few grouped upserts per
      // rollup table instead of thousands of rows per batch.
      await addPendingToRollups(db);
    } catch (err) {
      // The file broke off (or a write failed): the batch in flight ends, committed or not, before the lock is let go.
      await writing.catch(() => {});
      // What was committed is counted; if even that fails, the tickets stay listed for the next import.
      await addPendingToRollups(db).catch(() => {});
      throw err;
    } finally {
      // The batches announced nothing live (history is not news): one refresh for whoever watches.
      if (report.created + report.updated > 0) await announceRefresh(db, 'import');
    }
    await analyzeAfterImport(db);
    return report;
  } finally {
    if (!input.dryRun) await releaseImportLock(db, input.holder);
  }
}

/**
 * The import's tickets counted, as every report counts what is pending before it reads (a drain
 * that keeps giving way to live writers leaves the rest to the server's drain, a second later).
 */
async function addPendingToRollups(db: ServiceDeps['db']): Promise<void> {
  await countPendingTicketsNow(db, ROLLUP_DRAIN_CHUNK);
}

async function readerOptions(deps: ServiceDeps, format: ImportFormat, input: TicketImportInput): Promise<ImportOptions> {
  return {
    dateFormat: input.dateFormat,
    timeZone: input.timeZone ?? 'UTC',
    mapping: input.mapping ?? format.mapping,
    matrix: await getPriorityMatrix(deps.db),
  };
}

function personKey(name: string): string {
  return name.toLowerCase();
}

function collectNames(names: Names, s: Snapshot, unknownRequester: string): void {
  const add = (name: string | null, staff: boolean) => {
    if (!name) return;
    const key = personKey(name);
    const had = names.people.get(key);
    if (!had) names.people.set(key, { name, staff });
    else if (staff) had.staff = true;
  };
  add(s.caller ?? unknownRequester, false);
  add(s.openedBy, true);
  add(s.updatedBy, true);
  add(s.resolvedBy, true);
  add(s.assignee, true);
  if (s.group && !names.teams.has(s.group.toLowerCase())) names.teams.set(s.group.toLowerCase(), s.group);
  if (s.category) {
    const key = s.category.toLowerCase();
    let c = names.categories.get(key);
    if (!c) {
      c = { name: s.category, subcategories: new Map() };
      names.categories.set(key, c);
    }
    if (s.subcategory && !c.subcategories.has(s.subcategory.toLowerCase())) c.subcategories.set(s.subcategory.toLowerCase(), s.subcategory);
  }
}

/** A made-up address that reaches no one (RFC 2606 `.invalid`), stable for a name. */
function importedEmail(name: string, source: string): string {
  const local = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');
  return `${local || 'person'}.${hash(name.toLowerCase())}@${source}.import.invalid`;
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

async function createPeople(deps: ServiceDeps, names: Names, source: string): Promise<void> {
  const all = [...names.people.values()];
  for (let i = 0; i < all.length; i += 500) {
    const chunk = all.slice(i, i + 500);
    const known = await findPeopleByNames(
      deps.db,
      chunk.map((p) => p.name),
    );
    const missing = chunk.filter((p) => !known.has(personKey(p.name)));
    await insertImportedPeople(
      deps.db,
      missing.map((p) => ({ name: p.name, email: importedEmail(p.name, source), role: (p.staff ? 'agent' : 'requester') as Role })),
      deps.clock.now(),
    );
    // Met as a requester in an earlier import, as staff in this one.
    const requesters = chunk.filter((p) => p.staff && known.get(personKey(p.name))?.role === 'requester');
    await promoteImportedPeople(deps.db, requesters.map((p) => known.get(personKey(p.name))?.id ?? '').filter(Boolean));
  }
}

/** Names to ids, remembered for the run (people were all created before pass 2). */
class Ids {
  private people = new Map<string, Actor>();
  /** The requester's organisation, which SLA policies may match on. */
  private organisations = new Map<string, string | null>();
  /** The SLA policies and calendars, read once. */
  sla: ImportSlaSetup = { policies: [], calendars: new Map() };
  private teams = new Map<string, string>();
  private categories = new Map<string, string>();
  constructor(private deps: ServiceDeps) {}

  async loadPeople(names: string[]): Promise<void> {
    const missing = [...new Set(names.map(personKey))].filter((k) => !this.people.has(k));
    for (let i = 0; i < missing.length; i += 500) {
      const found = await findPeopleByNames(this.deps.db, missing.slice(i, i + 500));
      for (const [k, v] of found) {
        this.people.set(k, { id: v.id, role: v.role });
        this.organisations.set(k, v.organisation);
      }
    }
  }
  person(name: string | null): Actor | null {
    return name ? (this.people.get(personKey(name)) ?? null) : null;
  }
  organisation(name: string): string | null {
    return this.organisations.get(personKey(name)) ?? null;
  }
  /** Every group and category of the file, made where missing, before any ticket is written. */
  async loadTeamsAndCategories(names: Names): Promise<void> {
    const now = this.deps.clock.now();
    this.teams = await ensureTeams(this.deps.db, [...names.teams.values()], now);
    const top = await ensureCategories(
      this.deps.db,
      null,
      [...names.categories.values()].map((c) => c.name),
      now,
    );
    for (const [key, id] of top) {
      this.categories.set(`/${key}`, id);
      const subs = names.categories.get(key)?.subcategories;
      if (!subs || subs.size === 0) continue;
      for (const [sub, subId] of await ensureCategories(this.deps.db, id, [...subs.values()], now))
        this.categories.set(`${id}/${sub}`, subId);
    }
  }
  team(name: string | null): string | null {
    return name ? (this.teams.get(name.toLowerCase()) ?? null) : null;
  }
  category(name: string | null, parentId: string | null): string | null {
    return name ? (this.categories.get(`${parentId ?? ''}/${name.toLowerCase()}`) ?? null) : null;
  }
}

/** The rows an import already took, and what a newer export adds. */
function newerRows(rows: Snapshot[], record: ImportedRecordRow | undefined): { previous: Snapshot | null; rows: Snapshot[] } {
  if (!record) return { previous: null, rows };
  const previous = snapshotFromJson(record.snapshot);
  const newer = rows.filter(
    (s) =>
      s.modCount > record.modCount ||
      (s.modCount === record.modCount && (s.updatedAt?.getTime() ?? 0) > (previous.updatedAt?.getTime() ?? 0)),
  );
  return { previous, rows: newer };
}

async function countOutcomes(
  deps: ServiceDeps,
  format: ImportFormat,
  rowsOf: Map<string, number>,
  report: ImportReport,
  input: TicketImportInput,
) {
  // A dry run reads the file once more only to tell created from updated: by number, without writing.
  const numbers = [...rowsOf.keys()];
  const records = new Map<string, ImportedRecordRow>();
  for (let i = 0; i < numbers.length; i += 1000) {
    for (const [k, v] of await findImportedRecords(deps.db, format.source, numbers.slice(i, i + 1000))) records.set(k, v);
  }
  const taken = new Set<string>();
  const fresh = numbers.filter((n) => !records.has(n));
  for (let i = 0; i < fresh.length; i += 1000) for (const n of await takenTicketNumbers(deps.db, fresh.slice(i, i + 1000))) taken.add(n);
  report.created = fresh.length;
  report.renumbered = fresh.filter((n) => taken.has(n) || parseTicketNumber(n)?.kind !== 'incident').length;
  if (records.size === 0) return;
  const options = await readerOptions(deps, format, input);
  const changed = new Set<string>();
  for await (const record of format.read(input.open())) {
    const read = format.readRow(record.row, record.values, options);
    if (!read.ok) continue;
    const r = records.get(read.snapshot.number);
    if (r && newerRows([read.snapshot], r).rows.length > 0) changed.add(read.snapshot.number);
  }
  report.updated = changed.size;
  report.unchanged = records.size - changed.size;
}

async function writeBatch(
  deps: ServiceDeps,
  format: ImportFormat,
  ids: Ids,
  batch: Snapshot[][],
  report: ImportReport,
  maxSequence: Map<string, number>,
) {
  const numbers = batch.map((g) => g[0].number);
  const records = await findImportedRecords(deps.db, format.source, numbers);
  const taken = await takenTicketNumbers(
    deps.db,
    numbers.filter((n) => !records.has(n)),
  );
  const people: string[] = [];
  for (const g of batch)
    for (const s of g)
      people.push(
        ...[s.caller ?? format.unknownRequester, s.openedBy, s.updatedBy, s.resolvedBy, s.assignee].filter((n): n is string => !!n),
      );
  await ids.loadPeople(people);
  await deps.db.transaction(async (tx) => {
    // New tickets are listed as pending, not counted per statement: the import adds them at its end.
    await deferRollups(tx);
    const done: ImportedRecordRow[] = [];
    const created: Parameters<typeof createImportedTickets>[1][number][] = [];
    for (const group of batch) {
      const number = group[0].number;
      const record = records.get(number);
      const { previous, rows } = newerRows(group, record);
      if (rows.length === 0) {
        report.unchanged++;
        continue;
      }
      const counts = (record?.snapshot.counts ?? {}) as { reassignmentCount?: number; reopenCount?: number };
      const history = historyOf(
        rows,
        previous ? { ...previous, reassignmentCount: counts.reassignmentCount ?? 0, reopenCount: counts.reopenCount ?? 0 } : null,
        format.source,
      );
      if (record && previous) {
        await updateTicket(tx, deps, format, ids, record.ticketId, history);
        report.updated++;
      } else {
        const parsed = parseTicketNumber(number);
        // The original number is kept where it is an incident number free here; else it is the external reference.
        const keep = parsed?.kind === 'incident' && !taken.has(number) ? number : undefined;
        if (parsed && keep) maxSequence.set('INC', Math.max(maxSequence.get('INC') ?? 0, parsed.sequence));
        else report.renumbered++;
        const creation = await newTicket(tx, deps, format, ids, history, keep);
        created.push(creation);
        const ticketId = creation.row.id;
        report.created++;
        done.push(recordOf(deps, format.source, number, ticketId, history));
        continue;
      }
      done.push(recordOf(deps, format.source, number, record.ticketId, history));
    }
    await createImportedTickets(tx, created);
    await saveImportedRecords(tx, done);
  });
}

function recordOf(deps: ServiceDeps, source: string, number: string, ticketId: string, history: ImportedIncident): ImportedRecordRow {
  return {
    source,
    sourceNumber: number,
    ticketId,
    modCount: history.last.modCount,
    snapshot: {
      ...snapshotToJson(history.last),
      counts: { reassignmentCount: history.reassignmentCount, reopenCount: history.reopenCount },
    },
    importedAt: deps.clock.now(),
  };
}

async function eventsOf(ids: Ids, history: ImportedIncident): Promise<ChangeEvent[]> {
  const out: ChangeEvent[] = [];
  for (const e of history.events) {
    const changes = [];
    for (const c of e.changes) {
      if (c.field === 'team') {
        changes.push({ field: 'teamId', from: await ids.team(c.from as string | null), to: await ids.team(c.to as string | null) });
      } else if (c.field === 'assignee') {
        changes.push({
          field: 'assigneeId',
          from: ids.person(c.from as string | null)?.id ?? null,
          to: ids.person(c.to as string | null)?.id ?? null,
        });
      } else changes.push(c);
    }
    out.push({
      type: e.type,
      changes: changes.length > 0 ? changes : null,
      data: e.data ?? null,
      happened: { at: e.at, actorId: ids.person(e.actor)?.id ?? null },
    });
  }
  return out;
}

async function fieldsOf(
  format: ImportFormat,
  ids: Ids,
  history: ImportedIncident,
): Promise<Omit<NewTicketRow, 'number' | 'updatedAt' | 'updatedById' | 'kind' | 'requesterId' | 'reportedById' | 'openedAt'>> {
  const s = history.last;
  const categoryId = await ids.category(s.category, null);
  return {
    title: s.title,
    description: s.description,
    channel: s.channel,
    categoryId,
    subcategoryId: s.subcategory && categoryId ? await ids.category(s.subcategory, categoryId) : null,
    impact: s.impact,
    urgency: s.urgency,
    priority: s.priority,
    priorityOverridden: s.priorityDiffers,
    priorityOverrideReason: s.priorityDiffers ? `Imported from ${format.label} as it was there (the priority matrix gives another)` : null,
    scope: 'local',
    teamId: await ids.team(s.group),
    assigneeId: ids.person(s.assignee)?.id ?? null,
    state: s.state,
    onHoldReason: s.holdReason,
    resolutionCode: s.state === 'resolved' || s.state === 'closed' ? s.resolutionCode : null,
    resolutionNotes: s.resolutionNotes,
    firstResponseAt: history.firstResponseAt,
    resolvedAt: history.resolvedAt,
    closedAt: history.closedAt,
    reassignmentCount: history.reassignmentCount,
    reopenCount: history.reopenCount,
    sourceAttributes: s.attributes,
  };
}

/** What the SLA clocks read of an imported incident, as it stands after its last update. */
function slaFactsOf(history: ImportedIncident) {
  const s = history.last;
  return {
    priority: s.priority,
    state: s.state,
    firstResponseAt: history.firstResponseAt,
    resolvedAt: history.resolvedAt,
    closedAt: history.closedAt,
  };
}

/** A new ticket from an incident's history, written with its batch by the pipeline's bulk creation. */
async function newTicket(tx: Tx, deps: ServiceDeps, format: ImportFormat, ids: Ids, history: ImportedIncident, number: string | undefined) {
  const s = history.last;
  const requesterName = s.caller ?? format.unknownRequester;
  const requester = ids.person(requesterName);
  if (!requester) throw new Error(`the caller of ${s.number} was not created`);
  const opener = ids.person(history.events[0]?.actor ?? null);
  const fields = await fieldsOf(format, ids, history);
  // The policy that matches it and its result over the imported times: no timer, no notice.
  const sla = await withImportedSla(
    tx,
    ids.sla,
    {
      ...slaFactsOf(history),
      kind: 'incident',
      serviceId: null,
      organisation: ids.organisation(requesterName),
      openedAt: s.openedAt,
    },
    await eventsOf(ids, history),
    deps.clock.now(),
  );
  const events = sla.events;
  const lastAt = events.reduce((t, e) => Math.max(t, e.happened?.at.getTime() ?? 0), s.openedAt.getTime());
  return {
    actor: opener,
    at: new Date(lastAt),
    events,
    row: {
      ...fields,
      slaPolicyId: sla.slaPolicyId,
      slaDueAt: sla.slaDueAt,
      id: randomUUID(),
      kind: 'incident' as const,
      ...(number ? { number } : {}),
      externalReference: number ? null : s.number,
      requesterId: requester.id,
      reportedById: opener?.id ?? requester.id,
      openedAt: s.openedAt,
    },
  };
}

async function updateTicket(
  tx: Tx,
  deps: ServiceDeps,
  format: ImportFormat,
  ids: Ids,
  ticketId: string,
  history: ImportedIncident,
): Promise<void> {
  const before = await lockTicket(tx, ticketId);
  if (!before) throw new Error(`the ticket imported as ${history.number} is gone`);
  const fields = await fieldsOf(format, ids, history);
  const firstResponseAt = before.firstResponseAt ?? history.firstResponseAt;
  // The result over the whole history: the states stored before and the newer export's.
  const sla = await withImportedSla(
    tx,
    ids.sla,
    {
      ...slaFactsOf(history),
      firstResponseAt,
      kind: before.kind,
      serviceId: before.serviceId,
      organisation: ids.organisation(history.last.caller ?? format.unknownRequester),
      openedAt: before.openedAt,
    },
    await eventsOf(ids, history),
    deps.clock.now(),
    { ticketId },
  );
  const events = sla.events;
  const lastAt = events.reduce((t, e) => Math.max(t, e.happened?.at.getTime() ?? 0), history.last.updatedAt?.getTime() ?? 0);
  await applyTicketChange(tx, {
    before,
    actor: ids.person(history.last.updatedBy),
    at: new Date(lastAt || Date.parse(String(before.updatedAt))),
    silent: 'import',
    events,
    patch: { ...fields, firstResponseAt, slaPolicyId: sla.slaPolicyId, slaDueAt: sla.slaDueAt },
  });
}
