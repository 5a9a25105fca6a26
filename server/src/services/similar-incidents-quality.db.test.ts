import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/routing/random.js';
import { evaluateSimilarity, heldOutSample, type LabelledTicket } from '../../../core/similar-incidents-evaluation.js';
import { createTestDatabase, testEngine } from '../../test/database.js';
import { createTestPerson } from '../../test/factories.js';
import { loadLabelledTickets, precisionThroughDatabase } from '../../test/similar-quality.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';

/**
 * Similar incidents' quality through the database (issue 17 item 8): the pure ranking's figure
 * (core/similar-incidents.test.ts) is of a ranking that sees every ticket; the endpoint sees only
 * the candidates the SQL narrowing hands it. Here the 4,000 labelled tickets of
 * core/routing/fixtures are loaded as resolved incidents and the service is asked about the same
 * held-out tickets the pure evaluation asks about.
 */
const SAMPLE = 120;

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

// On PostgreSQL only: the narrowing is the same SQL on PGlite (a build of the same PostgreSQL) and
// gave the same precision there (92.5 %, also with migration 0076's table), but 120 questions cost
// over two minutes of PGlite's time, most of `npm run test:fast` (PGlite, every save). CI runs it
// on PostgreSQL.
describe.runIf(testEngine() === 'postgres')('similar incidents through the database, on real tickets', () => {
  it('keeps the pure ranking’s precision@5 within a few points, far above chance', async () => {
    const csv = readFileSync(new URL('../../../core/routing/fixtures/it-tickets-sample.csv', import.meta.url));
    const rows: LabelledTicket[] = (parse(csv, { columns: true }) as { Document: string; Topic_group: string }[]).map((r) => ({
      text: r.Document,
      label: r.Topic_group,
    }));
    const deps = { db: database.db, clock: new FakeClock('2026-06-01T09:00:00Z') };
    const agent = await createTestPerson(deps, 'agent', { email: 'agent@similar.test', name: 'Agent' });
    const ids = await loadLabelledTickets(database, rows, agent.id);
    // 4,000 rows are few enough for the planner to read the past incidents' words whole; a desk of
    // real size goes through their GIN index (migration 0076), and so does this test. The answers
    // are the same whichever way the rows are found.
    await database.db.execute(sql`SET enable_seqscan = off`);

    const pure = evaluateSimilarity(rows, SAMPLE);
    const sample = heldOutSample(rows.length, SAMPLE, seededRandom(17));
    const throughSql = await precisionThroughDatabase(database, agent, rows, ids, sample);
    console.log(
      `similar incidents, precision@5 on ${SAMPLE} held-out of ${rows.length} tickets: through the database ${(throughSql * 100).toFixed(1)} %, ` +
        `pure ranking of every ticket ${(pure.method * 100).toFixed(1)} %, same words ${(pure.sameWords * 100).toFixed(1)} %, random ${(pure.random * 100).toFixed(1)} %`,
    );
    expect(throughSql).toBeGreaterThan(pure.random + 0.15);
    expect(throughSql).toBeGreaterThanOrEqual(pure.method - 0.05);
  }, 600_000);
});
