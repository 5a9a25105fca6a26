/**
 * Similar past incidents (issue 17, item 8), two figures:
 *
 * 1. Quality on Endava's 47,837 real tickets with 8 topic groups (../shared/data, CC0), read
 *    DIRECTLY from the file when it is there: for 1,000 held-out tickets, precision@5 (the share
 *    whose top five among all the others include one of the same topic) of the method, beside a
 *    random baseline and a "same words" baseline on the same sample (core evaluateSimilarity).
 * 2. Latency of the endpoint's one service call (`getSimilarIncidents`: the ticket, the SQL
 *    narrowing through the full-text index, the ranking in core) at 100,000 tickets on
 *    PostgreSQL, beside a same-run baseline: reading the same ticket by id.
 *
 *    A second "before" figure in the same run: the database narrowing alone with every word of
 *    the ticket (how it narrowed before only rare words within a budget were used, core narrowingGroups).
 *
 *   node --import tsx bench/similar.ts    (BENCH_SIMILAR_CSV for another copy of the file,
 *                                          BENCH_TICKETS for another desk size,
 *                                          BENCH_SIMILAR_LATENCY=0 for the quality figure alone,
 *                                          BENCH_SIMILAR_DATABASE_URL=postgres://… to reuse a
 *                                          database seeded by an earlier run: kept, not dropped)
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Actor } from '../core/permissions.js';
import { retrievalTerms } from '../core/similar-incidents.js';
import { evaluateSimilarity } from '../core/similar-incidents-evaluation.js';
import { openPostgres } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { listSimilarCandidates } from '../server/src/repositories/similar-incidents.repository.js';
import { findTicketById } from '../server/src/repositories/tickets.repository.js';
import { getSimilarIncidents, SIMILAR_CANDIDATES } from '../server/src/services/similar-incidents.service.js';
import { openScratchDatabase } from './scratch-database.js';
import { type Sql, seedTickets } from './seed.js';

const CSV = process.env.BENCH_SIMILAR_CSV ?? new URL('../../shared/data/it_service_tickets_topic_group_v3.csv', import.meta.url).pathname;
const TOTAL = Number(process.env.BENCH_TICKETS ?? 100_000);
const SAMPLE = 1_000;
const QUERIES = 60;

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

function quality(): void {
  if (!fs.existsSync(CSV)) {
    console.log(`quality: ${CSV} is not here; skipped (the test reports it on the repo's 4,000-ticket fixture)`);
    return;
  }
  const rows = parse(fs.readFileSync(CSV), { columns: true }) as { Document: string; Topic_group: string }[];
  const started = performance.now();
  const q = evaluateSimilarity(
    rows.map((r) => ({ text: r.Document, label: r.Topic_group })),
    SAMPLE,
  );
  console.log(
    `quality: precision@5 on ${q.sample} held-out of ${q.corpus} tickets: TF-IDF cosine ${percent(q.method)}, ` +
      `same words ${percent(q.sameWords)}, random ${percent(q.random)} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

async function latency(): Promise<void> {
  const reuse = process.env.BENCH_SIMILAR_DATABASE_URL;
  const { database, cleanup } = reuse
    ? { database: await openPostgres(reuse, 4), cleanup: async () => {} }
    : await openScratchDatabase('postgres', 'similar');
  try {
    await migrateDatabase(database);
    if (database.raw.kind !== 'postgres') throw new Error('the latency figure is taken on PostgreSQL');
    const sql = database.raw.pool as unknown as Sql;
    const seededAt = performance.now();
    const count = await seedTickets(sql, TOTAL);
    console.log(`postgres: ${count} tickets seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);
    const agent = (await sql.query<{ id: string }>(`SELECT id FROM users WHERE email = 'bench-agent-1@example.test'`)).rows[0];
    const actor: Actor = { id: agent.id, role: 'agent' };
    const ids = (await sql.query<{ id: string }>(`SELECT id FROM tickets ORDER BY md5(id::text) LIMIT ${QUERIES}`)).rows.map((r) => r.id);
    for (const id of ids.slice(0, 5)) {
      await getSimilarIncidents(database, actor, id);
      await findTicketById(database.db, id);
    }
    const similar: number[] = [];
    const everyWord: number[] = [];
    const baseline: number[] = [];
    let found = 0;
    for (const id of ids) {
      let start = performance.now();
      const ticket = await findTicketById(database.db, id);
      baseline.push(performance.now() - start);
      start = performance.now();
      found += (await getSimilarIncidents(database, actor, id)).length;
      similar.push(performance.now() - start);
      start = performance.now();
      if (ticket)
        await listSimilarCandidates(
          database.db,
          id,
          retrievalTerms(ticket).map((t) => [t]),
          SIMILAR_CANDIDATES,
        );
      everyWord.push(performance.now() - start);
    }
    console.log(`postgres, ${count} tickets, ${QUERIES} tickets asked, ${(found / QUERIES).toFixed(1)} similar each on average:`);
    console.log(`  similar incidents      median ${ms(pct(similar, 50))}  p95 ${ms(pct(similar, 95))}`);
    console.log(`  before: narrowing by every word (SQL alone) median ${ms(pct(everyWord, 50))}  p95 ${ms(pct(everyWord, 95))}`);
    console.log(`  baseline: ticket by id median ${ms(pct(baseline, 50))}  p95 ${ms(pct(baseline, 95))}`);
  } finally {
    await cleanup();
  }
}

quality();
if (process.env.BENCH_SIMILAR_LATENCY !== '0') await latency();
