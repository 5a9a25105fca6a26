import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../../adapters/clock.js';
import type { Database } from '../../db/client.js';
import { readOperationalGauges } from '../../services/health.service.js';

/**
 * Prometheus metrics for one process (prom-client, a registry of our own per app so tests that
 * build several apps do not share counters). Counters and histograms are kept as requests and
 * intake happen; gauges that need the database (job queue, outbox) are read at scrape time with
 * cheap, time-bounded queries.
 */
export interface Metrics {
  registry: Registry;
  /** An e-mail or alert arrived: `received` when taken in, `refused` when turned away. */
  countIntake(channel: 'email' | 'alert', outcome: 'received' | 'refused'): void;
  /** A request was answered. */
  observeRequest(labels: { method: string; route: string; status: string }, seconds: number): void;
  /** The scrape's text, database gauges read now. */
  scrape(): Promise<string>;
}

export interface MetricsSources {
  database: Pick<Database, 'db' | 'kind'> & Partial<Pick<Database, 'raw'>>;
  clock: Clock;
  /** Open live (SSE) streams on this process. */
  liveConnections: () => number;
  /** Node's process metrics (CPU, memory, GC, event loop); off when /metrics is not served. */
  processMetrics?: boolean;
  /** How long the scrape's database readings may take before they are left out (ms). */
  databaseTimeoutMs?: number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  // Process metrics start observers (GC, event-loop delay) that live as long as the process: only
  // when someone can scrape them.
  if (sources.processMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    // prom-client names three gauges `_total`, which Prometheus reserves for counters (promtool
    // refuses them); the same counts are kept by type in nodejs_active_handles / _requests / _resources.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      registry.removeSingleMetric(name);
    }
  }
  const registers = [registry];

  const requests = new Counter({
    name: 'firebreak_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'firebreak_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const intake = new Counter({
    name: 'firebreak_intake_total',
    help: 'E-mails and alerts that arrived, by channel and whether they were received or refused',
    labelNames: ['channel', 'outcome'] as const,
    registers,
  });
  // Every series exists from the start, so a rate() sees the first one.
  for (const channel of ['email', 'alert']) for (const outcome of ['received', 'refused']) intake.inc({ channel, outcome }, 0);

  const raw = sources.database.raw;
  new Gauge({
    name: 'firebreak_database_connections',
    help: 'Database connections of this process by state: total, idle, waiting (clients queued for one). The embedded engine (PGlite) is one connection.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      if (raw?.kind === 'postgres') {
        this.set({ state: 'total' }, raw.pool.totalCount);
        this.set({ state: 'idle' }, raw.pool.idleCount);
        this.set({ state: 'waiting' }, raw.pool.waitingCount);
      } else {
        this.set({ state: 'total' }, 1);
      }
    },
  });
  new Gauge({
    name: 'firebreak_database_info',
    help: 'The database engine this process uses (value always 1)',
    labelNames: ['engine'] as const,
    registers,
  }).set({ engine: sources.database.kind }, 1);
  new Gauge({
    name: 'firebreak_live_connections',
    help: 'Open live-update streams (server-sent events) on this process',
    registers,
    collect() {
      this.set(sources.liveConnections());
    },
  });
  const databaseUp = new Gauge({
    name: 'firebreak_scrape_database_ok',
    help: '1 when this scrape read the job queue and outbox from the database, 0 when the database did not answer in time (the job gauges are then NaN, the outbox absent)',
    registers,
  });
  const jobsDue = new Gauge({ name: 'firebreak_jobs_due', help: 'Jobs and timers that are due but not yet taken by a worker', registers });
  const jobsRunning = new Gauge({ name: 'firebreak_jobs_running', help: 'Jobs a worker is running now (all processes)', registers });
  const jobsLag = new Gauge({
    name: 'firebreak_jobs_oldest_due_age_seconds',
    help: 'How long the longest-waiting due job has waited past its time (0 when none is due)',
    registers,
  });
  const outbox = new Gauge({
    name: 'firebreak_outbox_backlog',
    help: 'Notifications not yet delivered, by delivery kind and job state (held: e-mail out is off)',
    labelNames: ['kind', 'state'] as const,
    registers,
  });

  const timeoutMs = sources.databaseTimeoutMs ?? 2000;
  return {
    registry,
    countIntake: (channel, outcome) => intake.inc({ channel, outcome }),
    async scrape() {
      outbox.reset();
      try {
        const readings = await readOperationalGauges({ db: sources.database.db, clock: sources.clock }, timeoutMs);
        jobsDue.set(readings.jobs.due);
        jobsRunning.set(readings.jobs.running);
        jobsLag.set(readings.jobs.oldestDueAgeSeconds);
        for (const row of readings.outbox) outbox.set({ kind: row.kind, state: row.state }, row.n);
        databaseUp.set(1);
      } catch {
        // Not read this time: NaN, never a stale or zero value that would look like an empty queue.
        for (const gauge of [jobsDue, jobsRunning, jobsLag]) gauge.set(Number.NaN);
        databaseUp.set(0);
      }
      return registry.metrics();
    },
    observeRequest(labels, seconds) {
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
  };
}

/** A constant-time comparison of a presented bearer token with the configured one. */
export function metricsTokenMatches(expected: string | null, authorization: string | undefined): boolean {
  if (!expected) return false;
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
  // Hashing first makes both sides one length, so the comparison time says nothing about either.
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && presented.length > 0;
}

/** Counts every answered request by its route's pattern (never the raw URL: ids would explode the series). */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    metrics.observeRequest(labels, reply.elapsedTime / 1000);
    // Alerts arrive on the integration routes: refused when the answer is an error (bad token, bad payload).
    if (request.routeOptions.config.access === 'integration') metrics.countIntake('alert', reply.statusCode < 400 ? 'received' : 'refused');
    done();
  });
}
