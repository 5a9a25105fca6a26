import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIORITY_MATRIX } from '../priority.js';
import {
  checkGenericMapping,
  GENERIC_FIELD_NAMES,
  type GenericMapping,
  guessColumns,
  headerProblem,
  readerTables,
  readGenericRow,
  refusalInFileTerms,
  renameRow,
  sampleOf,
} from './generic-mapping.js';
import { readJsonLines } from './jsonl-source.js';
import { readRecords } from './records.js';
import { readRow } from './servicenow.js';

const chunked = (b: Buffer, size = 5) =>
  (async function* () {
    for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
  })();
async function all<T>(records: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of records) out.push(r);
  return out;
}

const mapping = (extra: Record<string, unknown> = {}): GenericMapping => {
  const checked = checkGenericMapping({
    columns: { number: 'Key', state: 'Status', openedAt: 'Created', priority: 'Prio', team: 'Queue', title: 'Summary' },
    states: { Open: 'new', Working: 'in_progress', 'Waiting for vendor': 'on_hold:awaiting_vendor', Done: 'resolved' },
    priorities: { Blocker: 1, Minor: 4 },
    dateFormat: 'YYYY-MM-DD HH:mm',
    timeZone: 'Europe/Paris',
    ...extra,
  });
  if (!checked.ok) throw new Error(checked.problems.join('; '));
  return checked.mapping;
};

describe('a column mapping', () => {
  it('names each mistake of a mapping file by its place', () => {
    const checked = checkGenericMapping({
      columns: { number: 'id', colour: 'c', title: '' },
      states: { Open: 'opened', Parked: 'in_progress:awaiting_vendor' },
      priorities: { Blocker: 0 },
      channels: { Fax: 'fax' },
      timeZone: 'Mars/Olympus',
      extra: true,
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toEqual([
      expect.stringMatching(/^columns\.colour: not a field/),
      'columns.title: must name a column',
      'columns.state: is required (State)',
      'columns.openedAt: is required (Opened at)',
      expect.stringMatching(/^states\."open": "opened" is not a state/),
      expect.stringMatching(/^states\."parked": a hold's reason is one of/),
      'priorities."blocker": must be 1 (critical) to 5 (planning)',
      expect.stringMatching(/^channels\."fax": "fax" is not a channel/),
      'timeZone: "Mars/Olympus" is not a time zone (e.g. Europe/Paris, UTC)',
      expect.stringMatching(/^"extra": not part of a mapping/),
    ]);
    expect(checkGenericMapping([]).ok).toBe(false);
  });

  it('reads a row through the mapping: value tables, the file’s zone, unmapped columns as source attributes', () => {
    const m = mapping();
    const renamed = renameRow(
      {
        key: 'T-17',
        status: 'Waiting for vendor',
        created: '2026-03-29 01:30',
        prio: 'Blocker',
        queue: 'Network',
        summary: 'VPN down',
        location: 'Paris',
        note: '?',
      },
      m,
    );
    const read = readRow(2, renamed.values, {
      dateFormat: m.dateFormat,
      timeZone: 'Europe/Paris',
      mapping: readerTables(m),
      matrix: DEFAULT_PRIORITY_MATRIX,
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.snapshot).toMatchObject({
      number: 'T-17',
      state: 'on_hold',
      holdReason: 'awaiting_vendor',
      priority: 1,
      group: 'Network',
      title: 'VPN down',
      openedAt: new Date('2026-03-29T00:30:00Z'),
    });
    // The original state is kept beside the mapped one; a missing value ("?") is not an attribute.
    expect(renamed.attributes).toEqual({ location: 'Paris', status: 'Waiting for vendor' });
  });

  it('understands Firebreak’s own values without a table', () => {
    const m = mapping({ states: {}, priorities: {} });
    const tables = readerTables(m);
    expect(tables.states.in_progress).toEqual({ state: 'in_progress' });
    expect(tables.states['in progress']).toEqual({ state: 'in_progress' });
    expect(tables.channels.walk_in).toBe('walk_in');
  });

  it('tells a refused row by the file’s column, not the reader’s', () => {
    const m = mapping();
    const renamed = renameRow({ key: 'T-1', status: 'Open', created: '2026-02-31 10:00' }, m);
    const read = readRow(7, renamed.values, {
      dateFormat: m.dateFormat,
      timeZone: 'UTC',
      mapping: readerTables(m),
      matrix: DEFAULT_PRIORITY_MATRIX,
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(refusalInFileTerms(read.refused, m)).toEqual({
      row: 7,
      column: 'created',
      reason: '"2026-02-31 10:00" is not a date that exists',
    });
  });

  it('words a refused row for the file, without ServiceNow’s columns, value forms or command options', () => {
    const m = mapping({ dateFormat: undefined });
    const options = { timeZone: 'UTC', mapping: readerTables(m), matrix: DEFAULT_PRIORITY_MATRIX };
    const refused = (values: Record<string, string>) => {
      const read = readGenericRow(3, values, options, m);
      return read.ok ? null : read.refused;
    };
    expect(refused({ key: '', status: 'Open', created: '2026-02-03 10:00' })).toEqual({
      row: 3,
      column: 'key',
      reason: 'the ticket number is missing',
    });
    expect(refused({ key: 'T-1', status: 'Open', created: '' })).toEqual({
      row: 3,
      column: 'created',
      reason: 'when the ticket was opened is missing (the "created" column is empty)',
    });
    expect(refused({ key: 'T-1', status: 'Open', created: '2026-02-03 10:00', prio: 'Urgent' })).toEqual({
      row: 3,
      column: 'prio',
      reason: '"Urgent" is not a priority (1 to 5, or a value of the mapping’s priority table)',
    });
    expect(refused({ key: 'T-1', status: 'Open', created: 'yesterday' })?.reason).toBe(
      '"yesterday" is not a date (set the mapping’s date format, e.g. D/M/YYYY HH:mm)',
    );
    // ServiceNow's own export keeps its words.
    const sn = readRow(3, { number: 'INC1', incident_state: 'New', opened_at: '' }, options);
    expect(sn.ok ? null : sn.refused.reason).toBe('when the incident was opened is missing (opened_at and sys_created_at are empty)');
  });

  it('refuses a header without the mapped columns, naming them', () => {
    const m = mapping();
    expect(headerProblem(['key', 'status', 'created', 'prio', 'queue', 'summary'], m)).toBeNull();
    expect(headerProblem(['key', 'status', 'created'], m)).toBe('Row 1 (the header) lacks mapped columns: "prio", "queue", "summary".');
    expect(headerProblem(['a;b;c'], m)).toMatch(/names none of the mapped columns.*is the delimiter right\?/);
  });

  it('guesses columns by their names, each column for one field only', () => {
    expect(guessColumns(['Ticket ID', 'Subject', 'Status', 'Created At', 'Assigned To', 'Group', 'Site'])).toEqual({
      number: 'Ticket ID',
      title: 'Subject',
      state: 'Status',
      openedAt: 'Created At',
      assignee: 'Assigned To',
      team: 'Group',
    });
  });

  it('never gives one column to two fields, and every guess is a column of the file (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('id', 'status', 'state', 'created', 'opened', 'summary', 'owner', 'x', 'Resolved', 'closed'), {
          maxLength: 10,
        }),
        (columns) => {
          const guessed = Object.values(guessColumns(columns));
          expect(new Set(guessed).size).toBe(guessed.length);
          for (const c of guessed) expect(columns).toContain(c);
          for (const f of Object.keys(guessColumns(columns))) expect(GENERIC_FIELD_NAMES).toContain(f);
        },
      ),
      { examples: [[['status', 'state']], [['created', 'opened']]] },
    );
  });
});

describe('a file’s beginning, read in the page', () => {
  it('offers a CSV file’s columns and first whole rows, quotes undone, a row cut by the sample’s end left out', () => {
    expect(sampleOf('\uFEFFKey;Summary;Status\r\nT-1;"Printer; jams";Open\r\nT-2;"Mail ""slow""";Done\r\nT-3;Cut', false)).toEqual({
      format: 'csv',
      columns: ['key', 'summary', 'status'],
      rows: [
        { key: 'T-1', summary: 'Printer; jams', status: 'Open' },
        { key: 'T-2', summary: 'Mail "slow"', status: 'Done' },
      ],
    });
  });

  it('keeps the last row when the sample is the whole file', () => {
    expect(sampleOf('Key,Status\nT-1,Open\nT-2,Done', true).rows).toEqual([
      { key: 'T-1', status: 'Open' },
      { key: 'T-2', status: 'Done' },
    ]);
  });

  it('offers the keys of a JSON lines file’s whole objects', () => {
    expect(sampleOf('{"Id":"A","status":"open"}\n{"id":"B","site":"Paris"}\n{"id":"C","si', false)).toEqual({
      format: 'jsonl',
      columns: ['id', 'status', 'site'],
      rows: [
        { id: 'A', status: 'open' },
        { id: 'B', site: 'Paris' },
      ],
    });
  });
});

describe('reading JSON lines', () => {
  it('reads objects line by line, values as text, whatever the chunks; CSV and JSON lines told apart', async () => {
    const text = '\uFEFF{"Number":"T-1","count":3,"ok":true,"none":null,"tags":["a"]}\r\n\n{"number":"T-2","site":"Zoë"}\n';
    const rows = await all(readJsonLines(chunked(Buffer.from(text, 'utf8'), 3)));
    expect(rows).toEqual([
      { row: 1, values: { number: 'T-1', count: '3', ok: 'true', none: '', tags: '["a"]' } },
      { row: 3, values: { number: 'T-2', site: 'Zoë' } },
    ]);
    expect((await all(readRecords(chunked(Buffer.from(text, 'utf8'), 4096)))).map((r) => r.values.number)).toEqual(['T-1', 'T-2']);
    expect((await all(readRecords(chunked(Buffer.from('number,site\nT-3,Lyon\n'), 4096)))).map((r) => r.values)).toEqual([
      { number: 'T-3', site: 'Lyon' },
    ]);
  });

  it('refuses a line that is not a JSON object, naming its row', async () => {
    await expect(all(readJsonLines(chunked(Buffer.from('{"number":"T-1"}\n{"number":\n'))))).rejects.toThrow(/^Row 2 is not JSON/);
    await expect(all(readJsonLines(chunked(Buffer.from('{"a":1}\n[1,2]\n'))))).rejects.toThrow(/^Row 2 is not a JSON object/);
  });
});
