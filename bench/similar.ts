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
 *    A "before" figure in the same run: the same call as it was until migration 0076, narrowing
 *    through the tickets' own full-text index (`tickets_search_idx`, each match's wide row visited
 *    for its state and date, its words computed again to rank it) with that index's statistics.
 * 3. The write cost of migration 0076's triggers: resolved incidents created in batches of 200 (as
 *    an import writes them, `insertTickets`), with the triggers and, alternately in the same run,
 *    with them disabled.
 *
 *   node --import tsx bench/similar.ts    (BENCH_SIMILAR_CSV for another copy of the file,
 *                                          BENCH_TICKETS for another desk size,
 *                                          BENCH_SIMILAR_LATENCY=0 for the quality figure alone,
 *                                          BENCH_SIMILAR_DATABASE_URL=postgres://… to reuse a
 *                                          database seeded by an earlier run: kept, not dropped)
 */

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sql as drizzleSql } from 'drizzle-orm';
import type { Actor } from '../core/permissions.js';
import { narrowingGroups, rankSimilar, retrievalTerms, SIMILAR_LIMIT } from '../core/similar-incidents.js';
import { evaluateSimilarity } from '../core/similar-incidents-evaluation.js';
import { anyOfGroups } from '../core/text-search.js';
import { type Database, openPostgres, rowsOf } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { findTicketById, insertTickets } from '../server/src/repositories/tickets.repository.js';
import { getSimilarIncidents, SIMILAR_CANDIDATES } from '../server/src/services/similar-incidents.service.js';
import { importedIncidentRow } from '../server/test/factories.js';
import { openScratchDatabase } from './scratch-database.js';
import { type Sql, seedTickets } from './seed.js';

const CSV = process.env.BENCH_SIMILAR_CSV ?? new URL('../../shared/data/it_service_tickets_topic_group_v3.csv', import.meta.url).pathname;
const TOTAL = Number(process.env.BENCH_TICKETS ?? 100_000);
const SAMPLE = 1_000;
const QUERIES = 60;
const WRITE_BATCHES = 25;
const WRITE_BATCH = 200;

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
    const before: number[] = [];
    const baseline: number[] = [];
    let found = 0;
    let same = 0;
    for (const id of ids) {
      let start = performance.now();
      await findTicketById(database.db, id);
      baseline.push(performance.now() - start);
      start = performance.now();
      const now = await getSimilarIncidents(database, actor, id);
      similar.push(performance.now() - start);
      start = performance.now();
      const then = await similarThroughTickets(database, id);
      before.push(performance.now() - start);
      found += now.length;
      if (now.map((m) => m.id).join() === then.join()) same++;
    }
    console.log(`postgres, ${count} tickets, ${QUERIES} tickets asked, ${(found / QUERIES).toFixed(1)} similar each on average:`);
    console.log(`  similar incidents      median ${ms(pct(similar, 50))}  p95 ${ms(pct(similar, 95))}`);
    console.log(
      `  before: narrowing through the tickets' full-text index (until migration 0076) median ${ms(pct(before, 50))}  p95 ${ms(pct(before, 95))}` +
        ` (same five for ${same} of ${QUERIES})`,
    );
    console.log(`  baseline: ticket by id median ${ms(pct(baseline, 50))}  p95 ${ms(pct(baseline, 95))}`);
    await writeCost(database, sql, actor.id);
  } finally {
    await cleanup();
  }
}

/**
 * The call as it was until migration 0076 (the same ranking, the same narrowing groups), through
 * `tickets_search_idx` and its statistics: the ids of the five it answered.
 */
async function similarThroughTickets(database: Database, id: string): Promise<string[]> {
  const ticket = await findTicketById(database.db, id);
  if (!ticket) return [];
  const terms = retrievalTerms(ticket);
  const stats = rowsOf<{ term: string | null; share: number }>(
    await database.db.execute(drizzleSql`
      SELECT u.term, u.share
      FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(term, share)
      WHERE s.schemaname = current_schema() AND s.tablename = 'tickets_search_idx' AND u.term = ANY(${drizzleSql.param(terms)}::text[])
      UNION ALL
      SELECT NULL, greatest(c.reltuples, 0)::float8 FROM pg_class c WHERE c.oid = to_regclass('tickets')`),
  );
  const shares = new Map(stats.filter((r) => r.term !== null).map((r) => [r.term as string, Number(r.share)]));
  const anyTerm = anyOfGroups(narrowingGroups(terms, shares, Number(stats.find((r) => r.term === null)?.share ?? 0)));
  if (!anyTerm) return [];
  const query = drizzleSql`to_tsquery('simple', ${anyTerm})`;
  const document = (t: string) => drizzleSql.raw(`to_tsvector('simple', ${t}.number || ' ' || ${t}.title || ' ' || ${t}.description)`);
  const candidates = rowsOf<{ id: string; title: string; description: string; service_id: string | null }>(
    await database.db.execute(drizzleSql`
      WITH matches AS MATERIALIZED (
        SELECT t.id, t.kind, t.state, t.resolved_at FROM tickets t WHERE ${document('t')} @@ ${query}
      ),
      recent AS (
        SELECT id FROM matches
        WHERE kind = 'incident' AND state IN ('resolved', 'closed') AND id <> ${id}
        ORDER BY resolved_at DESC NULLS LAST, id DESC
        LIMIT 600
      )
      SELECT t.id, t.title, left(t.description, 4000) AS description, t.service_id
      FROM recent JOIN tickets t ON t.id = recent.id
      ORDER BY ts_rank(${document('t')}, ${query}) DESC, t.id DESC
      LIMIT ${SIMILAR_CANDIDATES}`),
  );
  return rankSimilar(
    { id: ticket.id, title: ticket.title, description: ticket.description, serviceId: ticket.serviceId },
    candidates.map((c) => ({ id: c.id, title: c.title, description: c.description, serviceId: c.service_id })),
    SIMILAR_LIMIT,
  ).map((m) => m.id);
}

class RolledBack extends Error {}

/**
 * Migration 0076's write cost: batches of resolved incidents created as an import does (one
 * statement per batch, timed inside its transaction, then rolled back), alternately with the similar-incident triggers and
 * without them, in the same run.
 */
async function writeCost(database: Database, sql: Sql, requesterId: string): Promise<void> {
  const triggers = ['similar_incident_terms_on_insert', 'similar_incident_terms_on_update', 'similar_incident_terms_on_delete'];
  const timings = { with: [] as number[], without: [] as number[] };
  const words = ['VPN', 'printer', 'Outlook', 'SAP', 'laptop', 'Wi-Fi', 'certificate', 'password', 'Teams', 'badge'];
  const at = new Date('2025-06-01T00:00:00Z');
  try {
    for (let b = 0; b < WRITE_BATCHES * 2; b++) {
      const enabled = b % 2 === 0;
      for (const name of triggers) await sql.query(`ALTER TABLE tickets ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER ${name}`);
      const rows = Array.from({ length: WRITE_BATCH }, (_, i) => ({
        id: randomUUID(),
        ...importedIncidentRow(requesterId, {
          title: `${words[i % words.length]} fails after the update`,
          description: `Imported: ${words[(i * 7) % words.length]} stopped working for the ${words[(i * 3) % words.length]} team; restarted, then fixed by support.`,
          state: 'closed' as const,
          openedAt: at,
          resolvedAt: at,
          closedAt: at,
          updatedAt: at,
        }),
      }));
      // Rolled back: the desk stays as seeded (it may be reused), and deleting tickets is slow.
      await database.db
        .transaction(async (tx) => {
          const start = performance.now();
          await insertTickets(tx, rows);
          (enabled ? timings.with : timings.without).push(performance.now() - start);
          throw new RolledBack();
        })
        .catch((err) => {
          if (!(err instanceof RolledBack)) throw err;
        });
    }
  } finally {
    for (const name of triggers) await sql.query(`ALTER TABLE tickets ENABLE TRIGGER ${name}`);
  }
  const perTicket = (xs: number[]) => `${((pct(xs, 50) / WRITE_BATCH) * 1000).toFixed(0)} µs`;
  console.log(
    `  creating closed incidents, ${WRITE_BATCHES} batches of ${WRITE_BATCH} each way: with the similar-incident triggers median ${ms(pct(timings.with, 50))} a batch (${perTicket(timings.with)} a ticket), ` +
      `without them ${ms(pct(timings.without, 50))} (${perTicket(timings.without)} a ticket)`,
  );
}

quality();
if (process.env.BENCH_SIMILAR_LATENCY !== '0') await latency();
