/**
 * Issue 5's alert-ingestion figures, on PostgreSQL, beside Prometheus Alertmanager's own
 * ingestion of the same alerts measured in the same run (Debian's binary, POST /api/v2/alerts,
 * in memory), and beside a bare Fastify route that parses the same webhook and keeps nothing (the
 * ceiling for any Node server on this machine). Firebreak runs as `firebreak start` in its own
 * process and answers 202 only after each delivery's alerts are committed (deduplicated alert
 * rows, grouped tickets, timeline).
 * Scenarios: 10,000 alerts over 200 fingerprints, and 10,000 distinct alerts; each one alert per
 * request and in batches of 100.
 * Environment: BENCH_PG_URL, BENCH_ALERTS (10000), BENCH_FINGERPRINTS (200), BENCH_CONCURRENCY (32),
 * BENCH_SCENARIOS (all; or a comma list of repeat-1, repeat-100, distinct-1, distinct-100).
 */
import fs from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { systemClock } from '../server/src/adapters/clock.js';
import { openPostgres } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { createIntegration } from '../server/src/services/integrations.service.js';
import { ALERTMANAGER_BINARY, startAlertmanager } from '../server/test/alertmanager.js';
import { killAllStarted, startBaseline, startFirebreak } from './firebreak-process.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ALERTS = Number(process.env.BENCH_ALERTS ?? 10_000);
const FINGERPRINTS = Number(process.env.BENCH_FINGERPRINTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SCENARIOS = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim());

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

async function admin(text: string) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

type Labels = Record<string, string>;

/** Alert i of a scenario: `distinct` gives every alert its own label set; otherwise i mod fingerprints. */
function labelsOf(i: number, distinct: boolean, run: string): Labels {
  const n = distinct ? i : i % FINGERPRINTS;
  return { alertname: `Bench${n % 20}`, service: `svc${n % 10}`, instance: `host-${n}`, severity: 'warning', run };
}

interface Measured {
  alertsPerSecond: number;
  p50: number;
  p99: number;
  failed: number;
}

/**
 * The load generator shares the 2 cores with the servers it measures, so it must be cheap: plain
 * node:http over kept-alive sockets costs a fraction of what fetch (undici) does per request.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `bodies` with CONCURRENCY requests in flight; alerts/s counts alerts in 2xx answers. */
async function drive(url: string, headers: Record<string, string>, bodies: { body: string; alerts: number }[]): Promise<Measured> {
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, bodies.length) }, async () => {
      while (next < bodies.length) {
        const item = bodies[next++];
        const t0 = performance.now();
        try {
          const status = await post(url, headers, item.body);
          if (status >= 200 && status < 300) ok += item.alerts;
          else {
            failed++;
            if (failed <= 3) console.error(`  ${status} from ${url}`);
          }
        } catch (err) {
          failed++;
          if (failed <= 3) console.error(`  ${url}: ${(err as Error).message}`);
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { alertsPerSecond: ok / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed };
}

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function main() {
  if (!fs.existsSync(ALERTMANAGER_BINARY))
    throw new Error(`${ALERTMANAGER_BINARY} is not installed: apt-get install prometheus-alertmanager`);
  const name = `firebreak_bench_alerts_${process.pid}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const stops: (() => Promise<unknown>)[] = [];
  try {
    // The integration is made through the service before the server starts; the token is all we need.
    const database = await openPostgres(url.toString(), 2);
    await migrateDatabase(database);
    const { integration, token } = await createIntegration(
      { db: database.db, clock: systemClock },
      { name: 'bench', source: 'alertmanager', rules: [], resolveDelayMinutes: 5 },
    );
    await database.close();

    const firebreak = await startFirebreak({ DATABASE_URL: url.toString(), FIREBREAK_BODY_LIMIT_BYTES: String(4 * 1024 * 1024) });
    stops.push(() => firebreak.stop());
    // Alertmanager holds notifications for an hour, so what is measured is its ingestion alone.
    const am = await startAlertmanager({ url: 'http://127.0.0.1:9/unused', token: 'unused' }, { groupWait: '1h', groupInterval: '1h' });
    stops.push(() => am.stop());
    // What Node and Fastify alone cost on this machine: the ceiling for any Node server here.
    const bare = await startBaseline('bare', url.toString());
    stops.push(() => bare.stop());

    const firebreakUrl = `${firebreak.url}/api/v1/integrations/${integration.id}/alerts`;
    const auth = { authorization: `Bearer ${token}` };
    const startsAt = new Date().toISOString();
    const amAlert = (labels: Labels) => ({ labels, annotations: { summary: `${labels.alertname} on ${labels.instance}` }, startsAt });
    const webhook = (labelSets: Labels[]) =>
      JSON.stringify({
        version: '4',
        status: 'firing',
        receiver: 'firebreak',
        groupKey: 'bench',
        alerts: labelSets.map((labels) => ({ status: 'firing', ...amAlert(labels), endsAt: '0001-01-01T00:00:00Z' })),
      });

    console.log(
      `Alert ingestion: ${fmt(ALERTS)} alerts per scenario, ${CONCURRENCY} requests in flight, Firebreak on PostgreSQL (each 202 after commit) beside Alertmanager ${ALERTMANAGER_BINARY} (in memory), same alerts, same run.`,
    );
    const rows: string[][] = [];
    for (const distinct of [false, true]) {
      for (const batch of [1, 100]) {
        if (SCENARIOS && !SCENARIOS.includes(`${distinct ? 'distinct' : 'repeat'}-${batch}`)) continue;
        const scenario = `${distinct ? `${fmt(ALERTS)} distinct` : `${fmt(ALERTS)} over ${FINGERPRINTS} fingerprints`}, ${batch === 1 ? 'one per request' : `batches of ${batch}`}`;
        const run = `${distinct ? 'd' : 'r'}${batch}`;
        const labelSets = Array.from({ length: ALERTS }, (_, i) => labelsOf(i, distinct, run));
        const groups = batches(labelSets, batch);
        const fb = await drive(
          firebreakUrl,
          auth,
          groups.map((g) => ({ body: webhook(g), alerts: g.length })),
        );
        if (fb.failed > 0 && firebreak.rssMb() === 0) {
          throw new Error('the Firebreak process ended during the run (stopped from outside?); no figures are printed for a dead server');
        }
        const amResult = await drive(
          `${am.url}/api/v2/alerts`,
          {},
          groups.map((g) => ({ body: JSON.stringify(g.map(amAlert)), alerts: g.length })),
        );
        const bareResult = await drive(
          `${bare.url}/accept`,
          {},
          groups.map((g) => ({ body: webhook(g), alerts: g.length })),
        );
        rows.push([
          scenario,
          fmt(fb.alertsPerSecond),
          fb.p99.toFixed(1),
          fmt(amResult.alertsPerSecond),
          amResult.p99.toFixed(1),
          `${((fb.alertsPerSecond / amResult.alertsPerSecond) * 100).toFixed(0)}%`,
          fmt(bareResult.alertsPerSecond),
          `${((fb.alertsPerSecond / bareResult.alertsPerSecond) * 100).toFixed(0)}%`,
          fb.failed + amResult.failed + bareResult.failed > 0
            ? `ERRORS: firebreak ${fb.failed}, alertmanager ${amResult.failed}, bare Node ${bareResult.failed}`
            : '',
        ]);
        console.log(`  ${scenario}: done`);
      }
    }
    const header = [
      'scenario',
      'Firebreak alerts/s',
      'p99 ms',
      'Alertmanager alerts/s',
      'p99 ms',
      'ratio',
      'bare Node alerts/s',
      'ratio',
      '',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd();
    console.log(['', line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
    console.log(
      'ratio = Firebreak alerts/s ÷ the baseline before it, measured in this run. Bare Node: a Fastify route that parses the same webhook and answers 202, keeping nothing. p99 is per request (a batch is one request).',
    );
    // Every acknowledged alert is in the database: rows per fingerprint, counts per delivery.
    const check = new pg.Client({ connectionString: url.toString() });
    await check.connect();
    try {
      const { rows } = await check.query(
        "SELECT count(*)::int AS alerts, coalesce(sum(count), 0)::int AS deliveries, (SELECT count(*)::int FROM tickets WHERE channel = 'alert') AS tickets FROM alerts",
      );
      console.log(
        `Persisted: ${fmt(rows[0].deliveries)} alert deliveries on ${fmt(rows[0].alerts)} alert rows, ${fmt(rows[0].tickets)} tickets.`,
      );
    } finally {
      await check.end();
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(`while stopping: ${String(err).slice(-3000)}`));
    killAllStarted();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  }
}

main().catch((err) => {
  console.error(err);
  killAllStarted();
  process.exitCode = 1;
});
