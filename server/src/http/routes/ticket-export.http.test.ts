import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportTicketViaApi } from '../../../test/factories.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';
import { EXPORT_PAGE_SIZE } from '../../services/ticket-export.service.js';

let t: TestApp;
let agent: TestUser;
let requester: TestUser;
let formulaTicket: { id: string; number: string };
let workedTicket: { id: string; number: string };
/** More tickets than one page of the export, so the stream must go on past the first page. */
const BULK = EXPORT_PAGE_SIZE + 37;

async function exportOf(user: TestUser, query: string) {
  return t.app.inject({ method: 'GET', url: `/api/v1/tickets/export?${query}`, headers: user.headers });
}

/** RFC 4180 records of a small, trusted CSV (quoted cells may hold commas and quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\r\n').filter(Boolean)) {
    const cells: string[] = [];
    const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
    for (let m = re.exec(line); m && m.index < line.length; m = re.exec(line)) {
      cells.push(m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1]);
      if (m[2] === '') break;
    }
    rows.push(cells);
  }
  return rows;
}

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.user('agent');
  requester = await t.user('requester');
  // Bulk tickets written in one statement: what the export reads is rows, however they came.
  await t.database.db.execute(sql`
    INSERT INTO tickets (kind, number, title, description, requester_id, reported_by_id, channel, impact, urgency, priority, scope, state, opened_at, updated_at)
    SELECT 'incident', 'INC9' || lpad(g::text, 6, '0'), 'Bulk ticket ' || g, '', ${requester.user.id}, ${requester.user.id}, 'portal', 3, 3, 5, 'local', 'new',
      timestamptz '2026-03-01T00:00:00Z' + g * interval '1 second', timestamptz '2026-03-01T00:00:00Z'
    FROM generate_series(1, ${BULK}) g`);
  t.clock.advance(60_000);
  formulaTicket = await reportTicketViaApi(t, requester, { title: '=HYPERLINK("http://evil.example","Click")', description: 'x' });
  t.clock.advance(60_000);
  workedTicket = await reportTicketViaApi(t, agent, { title: 'VPN drops, every hour', description: 'since Monday' });
  for (const [body, visibility] of [
    ['We are looking into it', 'public'],
    ['Suspect the concentrator', 'internal'],
  ]) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${workedTicket.id}/comments`,
      headers: agent.headers,
      payload: { body, visibility },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const moved = await t.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${workedTicket.id}/transitions`,
    headers: agent.headers,
    payload: { to: 'in_progress' },
  });
  expect(moved.statusCode, moved.body).toBeLessThan(300);
});

afterAll(() => t.close());

describe('GET /api/v1/tickets/export', () => {
  it('streams every ticket with its timeline as JSON lines, past the first page, each once', async () => {
    const res = await exportOf(agent, '');
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="tickets-\d{4}-\d{2}-\d{2}\.jsonl"/);
    const lines = res.body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(BULK + 2);
    expect(new Set(lines.map((l) => l.number)).size).toBe(BULK + 2);
    // The queue's default order: newest first.
    expect(lines[0].number).toBe(workedTicket.number);
    expect(lines.at(-1).number).toBe('INC9000001');
    const worked = lines[0];
    expect(worked.title).toBe('VPN drops, every hour');
    const bodies = worked.timeline.map((e: { body: string | null }) => e.body);
    expect(bodies).toEqual(expect.arrayContaining(['We are looking into it', 'Suspect the concentrator']));
    expect(worked.timeline.map((e: { type: string }) => e.type)).toContain('state_changed');
    const ids = worked.timeline.map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(lines.at(-1).timeline).toEqual([]);
  });

  it('lists, as CSV, exactly what the queue lists with the same filters, formula-safe', async () => {
    const res = await exportOf(agent, 'format=csv&q=hyperlink');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = parseCsv(res.body);
    expect(header.slice(0, 4)).toEqual(['number', 'kind', 'title', 'state']);
    expect(rows).toHaveLength(1);
    expect(rows[0][0]).toBe(formulaTicket.number);
    expect(rows[0][header.indexOf('title')]).toBe(`'=HYPERLINK("http://evil.example","Click")`);

    const all = parseCsv((await exportOf(agent, 'format=csv&state=new&sort=openedAt')).body);
    const queue = json(
      await t.app.inject({ method: 'GET', url: '/api/v1/tickets?state=new&sort=openedAt&limit=200', headers: agent.headers }),
    );
    expect(all).toHaveLength(1 + BULK + 1);
    expect(all.slice(1, 201).map((r) => r[0])).toEqual(queue.items.map((i: { number: string }) => i.number));
    expect(all.slice(1).some((r) => r[0] === workedTicket.number)).toBe(false);
  });

  it('refuses a requester, even for their own tickets', async () => {
    for (const format of ['jsonl', 'csv']) {
      const res = await exportOf(requester, `format=${format}`);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/tickets/export' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('answers a bad filter with a problem naming the field, before any line is sent', async () => {
    const res = await exportOf(agent, 'format=xlsx');
    expect(res.statusCode).toBe(400);
    expect(json(res).errors).toEqual([expect.objectContaining({ field: 'format' })]);
    const state = await exportOf(agent, 'state=lost');
    expect(state.statusCode).toBe(400);
    expect(json(state).errors[0].field).toMatch(/^state/);
  });
});
