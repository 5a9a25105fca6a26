/**
 * The desk's one search on a desk of 50,000 tickets (issue 12): a partial number, a requester's
 * name and e-mail, and words, beside the plain queue listing as the baseline — through the
 * same service the API calls (no HTTP, so the figure is the query's), on PGlite and PostgreSQL.
 *
 *   node --import tsx bench/search.ts            (both engines; BENCH_TICKETS to change the size)
 *
 * Each case runs 5 times to warm up, then 30 times; the median and the 95th percentile are shown.
 */
import type { Actor } from '../core/permissions.js';
import type { Database } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { searchTickets, type TicketQuery } from '../server/src/services/ticket-query.service.js';
import { openScratchDatabase } from './scratch-database.js';
import { type Sql, seedTickets } from './seed.js';

const TOTAL = Number(process.env.BENCH_TICKETS ?? 50_000);

function rawSql(database: Database): Sql {
  return database.raw.kind === 'pglite' ? (database.raw.client as unknown as Sql) : (database.raw.pool as unknown as Sql);
}

async function measure(database: Database, actor: Actor, query: Partial<TicketQuery>) {
  const full: TicketQuery = { sort: '-openedAt', limit: 50, ...query };
  let found = 0;
  for (let i = 0; i < 5; i++) found = (await searchTickets(database.db, actor, full)).items.length;
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    await searchTickets(database.db, actor, full);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[15], p95: times[28], found };
}

async function runOn(engine: 'pglite' | 'postgres'): Promise<void> {
  const { database, cleanup } = await openScratchDatabase(engine, 'search');
  try {
    await migrateDatabase(database);
    const seededAt = performance.now();
    const count = await seedTickets(rawSql(database), TOTAL);
    console.log(`\n${engine}: ${count} tickets seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);
    const sql = rawSql(database);
    const agent = (await sql.query<{ id: string }>(`SELECT id FROM users WHERE email = 'bench-agent-1@example.test'`)).rows[0];
    const actor: Actor = { id: agent.id, role: 'agent' };
    // A ticket about five sixths of the way through the numbers, whatever the seeded size.
    const offset = Math.floor((count * 5) / 6);
    const sample = (await sql.query<{ number: string }>(`SELECT number FROM tickets ORDER BY number OFFSET ${offset} LIMIT 1`)).rows[0];
    const cases: [string, Partial<TicketQuery>][] = [
      ['baseline: open queue by priority', { state: ['open'], sort: 'priority' }],
      ['baseline: all tickets, newest first', {}],
      [`partial number (q=${sample.number.slice(-5)})`, { q: sample.number.slice(-5) }],
      ['short partial number (q=169)', { q: '169' }],
      [`bare number (q=${Number(sample.number.slice(3))})`, { q: String(Number(sample.number.slice(3))) }],
      ['requester name (q=Requester 1234)', { q: 'Requester 1234' }],
      ['requester e-mail (q=bench-requester-77@example.test)', { q: 'bench-requester-77@example.test' }],
      ['words (q=printer keeps)', { q: 'printer keeps' }],
      ['words, open queue (q=vpn, state=open)', { q: 'vpn', state: ['open'], sort: 'priority' }],
    ];
    console.log('| search | median ms | p95 ms | found (page of 50) |');
    console.log('|---|---:|---:|---:|');
    for (const [label, query] of cases) {
      const r = await measure(database, actor, query);
      console.log(`| ${label} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.found} |`);
    }
  } finally {
    await cleanup();
  }
}

const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
for (const engine of engines) await runOn(engine);
