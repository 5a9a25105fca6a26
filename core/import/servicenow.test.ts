import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIORITY_MATRIX } from '../priority.js';
import { detectDelimiter, detectEncoding, readCsv } from './csv-source.js';
import { historyOf, levelOf, parseExportDate, present, readRow, type Snapshot } from './servicenow.js';
import { checkMapping, DEFAULT_SERVICENOW_MAPPING } from './servicenow-mapping.js';

const options = {
  dateFormat: 'D/M/YYYY HH:mm',
  timeZone: 'Europe/London',
  mapping: DEFAULT_SERVICENOW_MAPPING,
  matrix: DEFAULT_PRIORITY_MATRIX,
};
const bytes = (b: Buffer, chunk = 7) =>
  (async function* () {
    for (let i = 0; i < b.length; i += chunk) yield b.subarray(i, i + chunk);
  })();
async function all(b: Buffer, chunk?: number) {
  const out = [];
  for await (const r of readCsv(bytes(b, chunk))) out.push(r);
  return out;
}

describe('reading an exported CSV file', () => {
  it('reads UTF-8 with a byte order mark, Latin-1 and semicolons alike, a character split between chunks kept whole', async () => {
    const text = 'number;caller_id\r\nINC0000001;"Zoë; Müller"\r\n';
    const utf8 = await all(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 3);
    const latin1 = await all(Buffer.from(text, 'latin1'), 5);
    for (const rows of [utf8, latin1]) expect(rows).toEqual([{ row: 2, values: { number: 'INC0000001', caller_id: 'Zoë; Müller' } }]);
  });

  it('detects the encoding and the delimiter', () => {
    expect(detectEncoding(Buffer.from('a,b\nü', 'utf8'))).toEqual({ encoding: 'utf-8', bom: false });
    expect(detectEncoding(Buffer.from('a,b\nü', 'latin1'))).toEqual({ encoding: 'latin1', bom: false });
    expect(detectDelimiter('number\tstate\t"a,b,c"')).toBe('\t');
    expect(detectDelimiter('number|state|opened_at')).toBe('|');
  });

  it('refuses binary data and an empty file', async () => {
    await expect(all(Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 10]))).rejects.toThrow(/not a CSV file/);
    await expect(all(Buffer.from(''))).rejects.toThrow(/empty/);
  });

  it('any table of text survives writing as CSV and reading back, whatever the chunk size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        async (rows, chunk) => {
          const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
          const file = `a,b\n${rows.map((r) => r.map(q).join(',')).join('\n')}\n`;
          const read = await all(Buffer.from(file, 'utf8'), chunk);
          expect(read.map((r) => [r.values.a, r.values.b])).toEqual(rows);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("ServiceNow's value forms", () => {
  it('reads `2 - Medium`, a bare number or a word; `?` and blanks are missing', () => {
    expect(levelOf('2 - Medium', {}, 3)).toBe(2);
    expect(levelOf('3', {}, 3)).toBe(3);
    expect(levelOf('Low', { low: 3 }, 3)).toBe(3);
    expect(levelOf('4 - Low', {}, 3)).toBeNull();
    expect(present('?')).toBeNull();
    expect(present('  ')).toBeNull();
    expect(present(' Group 56 ')).toBe('Group 56');
  });

  it('dates in the given format and zone, right across the changes of the clocks', () => {
    // 29 March 2026: London goes from 01:00 GMT to 02:00 BST.
    expect(parseExportDate('29/3/2026 00:59', 'D/M/YYYY HH:mm', 'Europe/London')).toEqual({
      ok: true,
      at: new Date('2026-03-29T00:59:00Z'),
    });
    expect(parseExportDate('29/3/2026 02:00', 'D/M/YYYY HH:mm', 'Europe/London')).toEqual({
      ok: true,
      at: new Date('2026-03-29T01:00:00Z'),
    });
    expect(parseExportDate('29/3/2026 01:30', 'D/M/YYYY HH:mm', 'Europe/London')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/clocks went forward/),
    });
    // 25 October 2026: 01:30 happens twice; the first (BST) is taken.
    expect(parseExportDate('25/10/2026 01:30', 'D/M/YYYY HH:mm', 'Europe/London')).toEqual({
      ok: true,
      at: new Date('2026-10-25T00:30:00Z'),
    });
    expect(parseExportDate('31/2/2026 10:00', 'D/M/YYYY HH:mm', 'UTC')).toMatchObject({ ok: false });
    // Without a format: ServiceNow's own yyyy-MM-dd HH:mm:ss, then day first.
    expect(parseExportDate('2026-01-05 09:30:00', undefined, 'UTC')).toEqual({ ok: true, at: new Date('2026-01-05T09:30:00Z') });
    expect(parseExportDate('5/1/2026 09:30', undefined, 'UTC')).toEqual({ ok: true, at: new Date('2026-01-05T09:30:00Z') });
    expect(parseExportDate('yesterday', undefined, 'UTC')).toMatchObject({ ok: false, reason: expect.stringMatching(/--date-format/) });
  });

  it('a parsed date read back in its zone is the text it came from (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
        const ms = Math.floor(d.getTime() / 60_000) * 60_000;
        const local = new Intl.DateTimeFormat('en-GB', {
          timeZone: 'America/New_York',
          day: 'numeric',
          month: 'numeric',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        })
          .format(new Date(ms))
          .replace(',', '');
        const parsed = parseExportDate(local, 'D/M/YYYY HH:mm', 'America/New_York');
        expect(parsed.ok).toBe(true);
        // A time in the hour that happens twice reads as its first occurrence.
        if (parsed.ok) expect([0, 3_600_000]).toContain(ms - parsed.at.getTime());
      }),
    );
  });

  it('maps "Awaiting …" states to holds with reasons, and keeps the original value', () => {
    const read = readRow(
      2,
      { number: 'INC1', incident_state: 'Awaiting Vendor', opened_at: '1/2/2026 10:00', contact_type: 'IVR', u_symptom: 'Symptom 3' },
      options,
    );
    expect(read).toMatchObject({
      ok: true,
      snapshot: {
        state: 'on_hold',
        holdReason: 'awaiting_vendor',
        channel: 'phone',
        attributes: { incident_state: 'Awaiting Vendor', contact_type: 'IVR', u_symptom: 'Symptom 3' },
      },
    });
  });

  it('refuses a row naming the column and why', () => {
    expect(readRow(9, { number: 'INC1', incident_state: 'Limbo', opened_at: '1/2/2026 10:00' }, options)).toEqual({
      ok: false,
      refused: { row: 9, column: 'incident_state', reason: '"Limbo" is not a state the mapping table knows (add it to the table)' },
    });
    expect(readRow(9, { number: 'INC1', incident_state: 'New', opened_at: '?' }, options)).toMatchObject({
      ok: false,
      refused: { column: 'opened_at' },
    });
    expect(readRow(9, { number: 'INC1', incident_state: 'New', opened_at: '1/2/2026 10:00', impact: '7 - Cosmic' }, options)).toMatchObject(
      {
        ok: false,
        refused: { column: 'impact' },
      },
    );
  });

  it('a user mapping table is checked against the vocabularies', () => {
    expect(checkMapping({ states: { 'awaiting legal': { state: 'on_hold', holdReason: 'awaiting_vendor' } } })).toMatchObject({ ok: true });
    expect(checkMapping({ states: { parked: { state: 'parked' } }, channels: { fax: 'fax' } })).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^state "parked"/), expect.stringMatching(/^channel "fax"/)],
    });
  });
});

describe("an incident's history", () => {
  const snap = (over: Partial<Snapshot>, modCount: number): Snapshot => {
    const read = readRow(
      modCount + 2,
      { number: 'INC1', incident_state: 'New', opened_at: '1/2/2026 10:00', sys_mod_count: String(modCount) },
      options,
    );
    if (!read.ok) throw new Error('bad');
    return { ...read.snapshot, updatedAt: new Date(Date.UTC(2026, 1, 1, 10 + modCount)), ...over };
  };
  const groups = fc.constantFrom(null, 'Group A', 'Group B');
  const states = fc.constantFrom('new', 'in_progress', 'on_hold', 'resolved', 'closed') as fc.Arbitrary<Snapshot['state']>;

  it('is the same whatever order the rows come in, and its counts only count what the rows show (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ group: groups, assignee: fc.constantFrom(null, 'Ana', 'Ben'), state: states }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer(),
        (steps, seed) => {
          const rows = steps.map((s, i) => snap({ ...s, holdReason: s.state === 'on_hold' ? 'awaiting_requester' : null }, i));
          const shuffled = [...rows].sort((a, b) => ((a.modCount * 7919 + seed) % 13) - ((b.modCount * 7919 + seed) % 13));
          const h = historyOf(shuffled);
          expect(h).toEqual(historyOf(rows));
          const reopens = rows
            .slice(1)
            .filter((r, i) => ['resolved', 'closed'].includes(rows[i].state) && !['resolved', 'closed'].includes(r.state)).length;
          expect(h.reopenCount).toBe(rows.length === 1 ? 0 : reopens);
          expect(h.reassignmentCount).toBeLessThanOrEqual(rows.length - 1);
          // Every event is at or after the opening, in the order of the rows.
          const times = h.events.map((e) => e.at.getTime());
          expect(times).toEqual([...times].sort((a, b) => a - b));
          expect(h.events[0].type).toBe('created');
        },
      ),
    );
  });
});
