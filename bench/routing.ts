/**
 * The learned router (issue 18, item 5), on two data sets:
 *
 * 1. Endava's 47,837 real tickets with 8 topic groups (../shared/data, CC0), trained DIRECTLY
 *    from the file through the same core code the server's training job runs
 *    (trainTextClassifier: stratified 80/20, IDF and SVM on the 80 %, figures on the 20 %). Not
 *    loaded as tickets through the services: 47,837 tickets through intake and resolution take
 *    longer than this machine's budget for a bench. The model is then stored as the newest run
 *    (with the topic groups as teams) and suggestions are timed through the service.
 * 2. The demo desk (`firebreak demo`), loaded through the services, trained through the service
 *    the job calls (trainRouter), its figures read back as Admin › Routing shows them.
 *
 * Suggestion latency is timed through `suggestRouting` (the route's one service call: the
 * newest run's id, the names, the prediction), beside a same-run baseline: the same call while
 * no model is stored (only its database reads).
 *
 *   node --import tsx bench/routing.ts     (BENCH_ROUTING_CSV to point at another copy of the file;
 *                                          BENCH_ROUTING_DEMO=0 to skip the demo desk, which takes minutes to load)
 */
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { trainTextClassifier } from '../core/routing/classifier.js';
import { encodeModel } from '../core/routing/model-codec.js';
import { systemClock } from '../server/src/adapters/clock.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { loadDemoData } from '../server/src/demo/demo-data.js';
import { insertRoutingModel } from '../server/src/repositories/routing.repository.js';
import { getRouterStatus, suggestRouting, trainRouter } from '../server/src/services/routing.service.js';
import { createTeam } from '../server/src/services/teams.service.js';
import { openScratchDatabase } from './scratch-database.js';

const CSV = process.env.BENCH_ROUTING_CSV ?? new URL('../../shared/data/it_service_tickets_topic_group_v3.csv', import.meta.url).pathname;
const SUGGESTIONS = 2_000;
const WITH_DEMO = process.env.BENCH_ROUTING_DEMO !== '0';

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const fmt = (x: number) => (x * 100).toFixed(1);

async function timeCalls(n: number, call: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call(i);
    times.push(performance.now() - t0);
  }
  return { p50: pct(times, 50), p99: pct(times, 99) };
}

async function main(): Promise<void> {
  const rows = parse(fs.readFileSync(CSV), { columns: true }) as { Document: string; Topic_group: string }[];
  const { database, cleanup } = await openScratchDatabase('pglite', 'routing');
  try {
    await migrateDatabase(database);
    const deps = { db: database.db, clock: systemClock };
    const texts = rows.slice(0, SUGGESTIONS).map((r) => r.Document);

    // Baseline: the same service call with no model stored (its database reads only).
    await timeCalls(200, (i) => suggestRouting(deps, { title: texts[i], description: '' }));
    const baseline = await timeCalls(SUGGESTIONS, (i) => suggestRouting(deps, { title: texts[i], description: '' }));

    // 2. The demo desk, through the services.
    let t0 = performance.now();
    if (WITH_DEMO) await loadDemoData(deps);
    const demoLoadS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    if (WITH_DEMO) await trainRouter(deps);
    const demoTrainS = (performance.now() - t0) / 1000;
    const demo = await getRouterStatus(deps);

    // 1. The real tickets, through the core code, with the topic groups as teams.
    const groups = [...new Set(rows.map((r) => r.Topic_group))].sort();
    const teamOf = new Map<string, string>();
    for (const group of groups) teamOf.set(group, (await createTeam(deps, { name: `Topic ${group}`, memberIds: [], managerId: null })).id);
    t0 = performance.now();
    const { model, evaluation } = trainTextClassifier(rows.map((r) => ({ text: r.Document, label: teamOf.get(r.Topic_group) ?? '' })));
    const csvTrainS = (performance.now() - t0) / 1000;
    const stored = encodeModel(model);
    const weights = gzipSync(stored.bytes);
    await insertRoutingModel(database.db, {
      status: 'ready',
      format: model.format,
      teamHeader: stored.header,
      teamWeights: weights,
      trainedAt: new Date(Date.now() + 1000),
    });
    await timeCalls(200, (i) => suggestRouting(deps, { title: texts[i], description: '' })); // loads the model once
    const withModel = await timeCalls(SUGGESTIONS, (i) => suggestRouting(deps, { title: texts[i], description: '' }));

    const nameOf = (id: string) => groups.find((g) => teamOf.get(g) === id) ?? id;
    console.log(`Learned router — ${new Date().toISOString()}\n`);
    console.log(
      `Endava tickets (${rows.length}, ${groups.length} topic groups), trained from the file through core/routing (stratified 80/20, seed 1):`,
    );
    console.log(
      `  accuracy ${fmt(evaluation.accuracy)} %, macro-F1 ${evaluation.macroF1.toFixed(3)}, majority baseline ${fmt(evaluation.majorityBaseline)} %` +
        ` (held out ${evaluation.examples}, trained on ${evaluation.trainedOn}); training ${csvTrainS.toFixed(1)} s; temperature ${model.temperature.toFixed(3)}`,
    );
    console.log(
      `  stored model: ${(stored.bytes.byteLength / 1e6).toFixed(1)} MB raw, ${(weights.byteLength / 1e6).toFixed(1)} MB gzipped`,
    );
    console.log(
      `  most confused: ${evaluation.mostConfused.map((p) => `${nameOf(p.actual)} → ${nameOf(p.predicted)} ${p.count}`).join('; ')}`,
    );
    console.log(
      `\nDemo desk (loaded through the services in ${demoLoadS.toFixed(1)} s), trained through trainRouter in ${demoTrainS.toFixed(1)} s:`,
    );
    if (!WITH_DEMO) console.log('  skipped (BENCH_ROUTING_DEMO=0)');
    else if (demo.state !== 'ready') console.log(`  ${demo.state}: ${demo.reason}`);
    for (const [what, e] of [
      ['teams', demo.teams],
      ['categories', demo.categories],
    ] as const) {
      if (!e) continue;
      console.log(
        `  → ${what} (${e.classes}): accuracy ${fmt(e.accuracy)} %, macro-F1 ${e.macroF1.toFixed(3)}, majority baseline ${fmt(e.majorityBaseline)} % (held out ${e.examples}, trained on ${e.trainedOn})`,
      );
      console.log(`    most confused: ${e.mostConfused.map((p) => `${p.actual.name} → ${p.predicted.name} ${p.count}`).join('; ')}`);
    }
    console.log(`\nSuggestion latency through suggestRouting on PGlite, ${SUGGESTIONS} calls each, same run:`);
    console.log(
      `  baseline (no model stored: the database reads only): p50 ${baseline.p50.toFixed(2)} ms, p99 ${baseline.p99.toFixed(2)} ms`,
    );
    console.log(
      `  with the Endava model in memory:                      p50 ${withModel.p50.toFixed(2)} ms, p99 ${withModel.p99.toFixed(2)} ms`,
    );
    console.log(`  p99 < 10 ms: ${withModel.p99 < 10 ? 'yes' : 'NO'}`);
  } finally {
    await cleanup();
  }
}

await main();
