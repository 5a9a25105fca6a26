/**
 * Knowledge-base search on 100,000 articles (issue 17: search p95 < 50 ms), on PostgreSQL, beside
 * a same-run baseline: a plain indexed SELECT of one article by id. The articles' text is the
 * real helpdesk tickets of ../shared/data/it_service_tickets_topic_group_v3.csv (47,837, used
 * twice over with a number), so word frequencies are those of a real desk. The search runs
 * through the same service the API calls (no HTTP: the figure is the query's, headlines included).
 *
 *   node --import tsx bench/knowledge-search.ts     (BENCH_ARTICLES to change the size)
 *
 * Each query runs 5 times to warm up, then 40 times; the median and the 95th percentile are shown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import type { Actor } from '../core/permissions.js';
import { systemClock } from '../server/src/adapters/clock.js';
import { type Database, openPostgres } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { findArticle } from '../server/src/repositories/knowledge.repository.js';
import { searchArticlesFor } from '../server/src/services/knowledge-base.service.js';

const TOTAL = Number(process.env.BENCH_ARTICLES ?? 100_000);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CSV = path.resolve(import.meta.dirname, '../../shared/data/it_service_tickets_topic_group_v3.csv');

async function timed(run: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[20], p95: times[37] };
}

async function main() {
  const name = `firebreak_bench_kb_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const database: Database = await openPostgres(url.toString(), 4);
  try {
    await migrateDatabase(database);
    if (database.raw.kind !== 'postgres') throw new Error('PostgreSQL expected');
    const pool = database.raw.pool as unknown as pg.Pool;
    const rows = parse(fs.readFileSync(CSV), { columns: true }) as { Document: string; Topic_group: string }[];
    const seededAt = performance.now();
    for (let start = 0; start < TOTAL; start += 2000) {
      const titles: string[] = [];
      const bodies: string[] = [];
      for (let i = start; i < Math.min(TOTAL, start + 2000); i++) {
        const doc = rows[i % rows.length].Document;
        titles.push(`${doc.split(' ').slice(0, 8).join(' ')} (${rows[i % rows.length].Topic_group} ${i})`);
        bodies.push(`## Problem\n\n${doc}\n\n## Resolution\n\nSee ${rows[(i * 7) % rows.length].Document}`);
      }
      await pool.query(
        `INSERT INTO kb_articles (title, body, state, audience, created_at, updated_at)
         SELECT t, b, 'published', 'everyone', now(), now() FROM unnest($1::text[], $2::text[]) AS x(t, b)`,
        [titles, bodies],
      );
    }
    await pool.query('ANALYZE kb_articles');
    console.log(`postgres: ${TOTAL} articles seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);
    const deps = { db: database.db, clock: systemClock };
    const requester: Actor = { id: '00000000-0000-4000-8000-000000000001', role: 'requester' };
    const one = (await pool.query<{ id: string }>('SELECT id FROM kb_articles OFFSET $1 LIMIT 1', [Math.floor(TOTAL / 2)])).rows[0].id;
    const cases: [string, () => Promise<unknown>][] = [
      ['baseline: one article by id (indexed SELECT)', () => findArticle(database.db, one)],
      ['search "vpn certificate error"', () => searchArticlesFor(deps, requester, 'vpn certificate error', { limit: 10 })],
      [
        'search "password reset expired account"',
        () => searchArticlesFor(deps, requester, 'password reset expired account', { limit: 10 }),
      ],
      ['search "printer" (one common word)', () => searchArticlesFor(deps, requester, 'printer', { limit: 10 })],
      [
        'search "please help thanks" (the most common words)',
        () => searchArticlesFor(deps, requester, 'please help thanks', { limit: 10 }),
      ],
      ['search 10,000 characters', () => searchArticlesFor(deps, requester, 'outlook calendar '.repeat(600), { limit: 10 })],
      [
        'search full of operators',
        () => searchArticlesFor(deps, requester, `!(vpn & | :* <-> "laptop") ${'!&|'.repeat(300)}`, { limit: 10 }),
      ],
    ];
    console.log('case'.padEnd(56), 'median ms', 'p95 ms');
    for (const [label, run] of cases) {
      const { median, p95 } = await timed(run);
      console.log(label.padEnd(56), median.toFixed(2).padStart(9), p95.toFixed(2).padStart(6));
    }
  } finally {
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
