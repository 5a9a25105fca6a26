/**
 * Issue 19's scale-out figures: ticket creation, read by id and alert ingestion (one alert per
 * request) on PostgreSQL with 1 and 2 server processes (`FIREBREAK_WORKERS`), beside the baselines
 * `npm run bench` prints (bare Fastify JSON, one raw pg INSERT, one raw pg primary-key SELECT, each
 * its own process) and Prometheus Alertmanager's own ingestion of the same alerts (Debian's
 * binary, POST /api/v2/alerts, in memory), all measured in this run by the same load generator.
 * Alert ingestion is measured with 1, 2 and 3 processes, then goes on (up to BENCH_MAX_WORKERS)
 * until it reaches Alertmanager's rate; it prints each beside Alertmanager's, with the CPU one
 * alert costs in Firebreak's processes and in PostgreSQL (what bounds the rate on a few cores),
 * and says how many processes reaching Alertmanager took (or that it did not get there).
 *
 * Environment: BENCH_SECONDS (8) per scenario, BENCH_WARMUP_SECONDS (2), BENCH_PG_URL, BENCH_MAX_WORKERS (4).
 */
import fs from 'node:fs';
import os from 'node:os';
import type { AutocannonRequest } from 'autocannon';
import pg from 'pg';
import { systemClock } from '../server/src/adapters/clock.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { createUser } from '../server/src/services/directory.service.js';
import { createIntegration } from '../server/src/services/integrations.service.js';
import { ALERTMANAGER_BINARY, startAlertmanager } from '../server/test/alertmanager.js';
import { postgresCpuMs, processTreeCpuMs } from './cpu.js';
import { ADMIN, createRoutedService, createToken, listTicketIds } from './firebreak-api.js';
import { killAllStarted, startBaseline, startFirebreak } from './firebreak-process.js';
import { type LoadOptions, type LoadResult, load } from './load.js';
import { openScratchDatabase } from './scratch-database.js';
import { createBaselineTable, type Sql } from './seed.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const MAX_WORKERS = Number(process.env.BENCH_MAX_WORKERS ?? 4);
/** Alert ingestion is always measured with this many processes, whatever the first reached. */
const ALWAYS_MEASURED_WORKERS = 3;
const CONNECTIONS = 50;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** Throwaway databases' clean-ups, run at the end even when the bench fails half-way. */
const cleanups: (() => Promise<void>)[] = [];
async function scratchDatabaseUrl(label: string) {
  const scratch = await openScratchDatabase('postgres', `scale_${label}`, 2);
  cleanups.push(scratch.cleanup);
  return { ...scratch, url: scratch.url as string };
}

/**
 * Warm up (JIT, pools), then measure; every server gets the same treatment. Given the server's
 * pid, also the CPU milliseconds per answered request in it (and its workers) and in PostgreSQL.
 */
async function measure(
  options: Omit<LoadOptions, 'seconds' | 'connections'>,
  serverPid?: number,
): Promise<LoadResult & { cpuMsPerRequest?: { server: number; postgres: number } }> {
  if (WARMUP > 0) await load({ ...options, connections: CONNECTIONS, seconds: WARMUP });
  const before = serverPid ? { server: processTreeCpuMs(serverPid), postgres: postgresCpuMs() } : null;
  const result = await load({ ...options, connections: CONNECTIONS, seconds: SECONDS });
  if (result.failed > 0)
    console.error(`  ${result.failed} failed requests on ${options.url}${options.path}: ${JSON.stringify(result.statusCodes)}`);
  if (!before || !serverPid || result.ok === 0) return result;
  return {
    ...result,
    cpuMsPerRequest: {
      server: (processTreeCpuMs(serverPid) - before.server) / result.ok,
      postgres: (postgresCpuMs() - before.postgres) / result.ok,
    },
  };
}

let sequence = 0;
function ticketBody(serviceId: string): string {
  const n = ++sequence;
  return JSON.stringify({
    title: `VPN drops for remote staff #${n}`,
    description: 'Users on the Lyon site lose the VPN tunnel every few minutes since the 09:00 change.',
    impact: 1 + (n % 3),
    urgency: 1 + ((n >> 2) % 3),
    serviceId,
  });
}
const rotating = (ids: string[], prefix: string) => {
  let i = 0;
  return (request: AutocannonRequest) => ({ ...request, path: `${prefix}${ids[i++ % ids.length]}` });
};

/** Alert i: 200 fingerprints repeating, as a monitored estate re-fires the same alerts. */
let alertSequence = 0;
const labelsOf = (i: number) => ({
  alertname: `Bench${i % 20}`,
  service: `svc${i % 10}`,
  instance: `host-${i % 200}`,
  severity: 'warning',
});
const startsAt = new Date().toISOString();
const amAlert = (labels: Record<string, string>) => ({
  labels,
  annotations: { summary: `${labels.alertname} on ${labels.instance}` },
  startsAt,
});
const webhookBody = () =>
  JSON.stringify({
    version: '4',
    status: 'firing',
    receiver: 'firebreak',
    groupKey: 'bench',
    alerts: [{ status: 'firing', ...amAlert(labelsOf(alertSequence++)), endsAt: '0001-01-01T00:00:00Z' }],
  });

interface Row {
  scenario: string;
  rps: number;
  p99: number;
  baseline: string;
  baselineRps: number;
}

async function main() {
  if (!fs.existsSync(ALERTMANAGER_BINARY))
    throw new Error(`${ALERTMANAGER_BINARY} is not installed: apt-get install prometheus-alertmanager`);
  console.log(
    `Scale-out on this machine: ${os.availableParallelism()} cores; load before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  const rows: Row[] = [];

  // Baselines, each its own process like Firebreak.
  const { url: baselineUrl } = await scratchDatabaseUrl('baseline');
  const client = new pg.Client({ connectionString: baselineUrl });
  await client.connect();
  const baselineIds = await createBaselineTable(client as unknown as Sql);
  await client.end();
  const baseline = { insert: 0, select: 0, bare: 0 };
  for (const mode of ['insert', 'select', 'bare'] as const) {
    const server = await startBaseline(mode, baselineUrl);
    try {
      const result =
        mode === 'insert'
          ? await measure({
              url: server.url,
              method: 'POST',
              path: '/rows',
              setupRequest: (r) => ({ ...r, body: ticketBody(baselineIds[0] ?? '') }),
              body: ticketBody(baselineIds[0] ?? ''),
            })
          : mode === 'select'
            ? await measure({ url: server.url, path: `/rows/${baselineIds[0]}`, setupRequest: rotating(baselineIds, '/rows/') })
            : await measure({
                url: server.url,
                method: 'POST',
                path: '/accept',
                body: webhookBody(),
                setupRequest: (r) => ({ ...r, body: webhookBody() }),
              });
      baseline[mode] = result.rps;
      console.error(`  baseline ${mode}: ${fmt(result.rps)} req/s`);
    } finally {
      await server.stop();
    }
  }

  // Alertmanager's own ingestion, one alert per request, same generator.
  const am = await startAlertmanager({ url: 'http://127.0.0.1:9/unused', token: 'unused' }, { groupWait: '1h', groupInterval: '1h' });
  let amRps: number;
  try {
    const body = () => JSON.stringify([amAlert(labelsOf(alertSequence++))]);
    amRps = (
      await measure({ url: am.url, method: 'POST', path: '/api/v2/alerts', body: body(), setupRequest: (r) => ({ ...r, body: body() }) })
    ).rps;
    console.error(`  Alertmanager: ${fmt(amRps)} alerts/s`);
  } finally {
    await am.stop();
  }

  // Firebreak with 1, 2 … processes, each on a fresh database.
  let reachedWith: number | null = null;
  const alertRuns: { workers: number; rps: number; cpu?: { server: number; postgres: number } }[] = [];
  for (let workers = 1; workers <= MAX_WORKERS; workers++) {
    const { url, database, cleanup } = await scratchDatabaseUrl(`w${workers}`);
    await migrateDatabase(database);
    // The admin first: an integration brings its own user, and the first start makes an admin only on an empty database.
    await createUser(
      { db: database.db, clock: systemClock },
      { email: ADMIN.email, name: 'Bench Admin', role: 'admin', timeZone: 'UTC', password: ADMIN.password },
    );
    const { integration, token: alertToken } = await createIntegration(
      { db: database.db, clock: systemClock },
      { name: 'bench', source: 'alertmanager', rules: [], resolveDelayMinutes: 5 },
    );
    const server = await startFirebreak(
      {
        DATABASE_URL: url,
        FIREBREAK_ADMIN_EMAIL: ADMIN.email,
        FIREBREAK_ADMIN_PASSWORD: ADMIN.password,
        FIREBREAK_WORKERS: String(workers),
        FIREBREAK_WEB_UI: 'off',
      },
      { readyLine: workers > 1 ? `${workers} worker processes serve it` : undefined },
    );
    const label = `${workers} process${workers > 1 ? 'es' : ''}`;
    try {
      // Creation and reads are measured with 1 and 2 processes; beyond, only alerts.
      if (workers <= 2) {
        const token = await createToken(server.url);
        const serviceId = await createRoutedService(server.url, token);
        const auth = { authorization: `Bearer ${token}` };
        const create = await measure({
          url: server.url,
          method: 'POST',
          path: '/api/v1/tickets',
          headers: auth,
          body: ticketBody(serviceId),
          setupRequest: (r) => ({ ...r, body: ticketBody(serviceId) }),
        });
        rows.push({
          scenario: `create ticket, ${label}`,
          rps: create.rps,
          p99: create.p99,
          baseline: 'raw INSERT',
          baselineRps: baseline.insert,
        });
        const ids = await listTicketIds(server.url, token, 1000);
        const read = await measure({
          url: server.url,
          path: `/api/v1/tickets/${ids[0]}`,
          headers: auth,
          setupRequest: rotating(ids, '/api/v1/tickets/'),
        });
        rows.push({
          scenario: `read ticket by id, ${label}`,
          rps: read.rps,
          p99: read.p99,
          baseline: 'raw SELECT',
          baselineRps: baseline.select,
        });
      }
      const alerts = await measure(
        {
          url: server.url,
          method: 'POST',
          path: `/api/v1/integrations/${integration.id}/alerts`,
          headers: { authorization: `Bearer ${alertToken}` },
          body: webhookBody(),
          setupRequest: (r) => ({ ...r, body: webhookBody() }),
        },
        server.pid,
      );
      alertRuns.push({ workers, rps: alerts.rps, cpu: alerts.cpuMsPerRequest });
      rows.push({
        scenario: `alert, one per request, ${label}`,
        rps: alerts.rps,
        p99: alerts.p99,
        baseline: 'Alertmanager',
        baselineRps: amRps,
      });
      console.error(`  ${label}: ${fmt(alerts.rps)} alerts/s`);
      if (alerts.rps >= amRps) reachedWith ??= workers;
    } finally {
      await server.stop();
      await cleanup();
      cleanups.splice(cleanups.indexOf(cleanup), 1);
    }
    if (reachedWith !== null && workers >= ALWAYS_MEASURED_WORKERS) break;
  }

  const header = ['scenario', 'Firebreak req/s', 'p99 ms', 'baseline', 'baseline req/s', 'ratio'];
  const cells = rows.map((r) => [
    r.scenario,
    fmt(r.rps),
    Number.isFinite(r.p99) ? r.p99.toFixed(1) : 'none done',
    r.baseline,
    fmt(r.baselineRps),
    `${((r.rps / r.baselineRps) * 100).toFixed(0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i === 0 || i === 3 ? x.padEnd(widths[i] ?? 0) : x.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(['', line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n'));
  console.log(`Bare Node (parse the webhook, answer 202, keep nothing): ${fmt(baseline.bare)} alerts/s in this run.`);
  console.log(`Alert ingestion, one alert per request, beside Alertmanager's ${fmt(amRps)} alerts/s in this run:`);
  for (const run of alertRuns) {
    // PostgreSQL's figure sums the server's live processes: a session that ended meanwhile takes
    // its CPU with it, and the difference can even come out negative; then it says nothing.
    const postgres =
      run.cpu && run.cpu.postgres >= 0
        ? `${run.cpu.postgres.toFixed(2)} ms in PostgreSQL (the whole server's, others' sessions included)`
        : 'PostgreSQL unknown (a session ended meanwhile)';
    const cpu = run.cpu ? `; CPU per alert ${run.cpu.server.toFixed(2)} ms in Firebreak + ${postgres}` : '';
    console.log(
      `  ${run.workers} process${run.workers > 1 ? 'es' : ''}: ${fmt(run.rps)} alerts/s = ${((run.rps / amRps) * 100).toFixed(0)}% of Alertmanager${cpu}`,
    );
  }
  console.log(
    reachedWith !== null
      ? `Alert ingestion one per request reached Alertmanager's rate (${fmt(amRps)} alerts/s) with ${reachedWith} process${reachedWith > 1 ? 'es' : ''}.`
      : `Alert ingestion one per request did not reach Alertmanager's rate (${fmt(amRps)} alerts/s) with up to ${MAX_WORKERS} processes on this machine.`,
  );
  console.log(
    `${CONNECTIONS} connections, ${SECONDS} s each after ${WARMUP} s warm-up; load after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    killAllStarted();
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  });
