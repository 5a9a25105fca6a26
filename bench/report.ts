import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { LoadResult } from './load.js';

export interface Measured extends LoadResult {
  /** CPU milliseconds per 2xx answer: in the server process, and in all PostgreSQL processes. */
  serverCpuMs: number;
  postgresCpuMs: number;
}

export type Engine = 'postgres' | 'pglite';

export interface Row extends Measured {
  scenario: string;
  engine: Engine | 'baseline';
  connections: number;
  /** The baseline this row is divided by, and the quotient of the two req/s. */
  baseline?: string;
  ratio?: number;
  /** The stated target; `pass` is absent for rows that have none (informational). */
  target?: string;
  pass?: boolean;
}

export interface EngineFacts {
  engine: Engine;
  /** New data folder or database: creating the schema (migrations) and the first admin included. */
  firstStartMs?: number;
  /** Stop, then start again on the existing data (with the seeded tickets in it). */
  restartMs?: number;
  tickets?: number;
  seedMs?: number;
  rssIdleMb?: number;
  rssIdleSeededMb?: number;
  rssLoadMb?: number;
  error?: string;
}

export interface Results {
  startedAt: string;
  machine: { cpus: number; node: string; postgres: string };
  seconds: number;
  warmupSeconds: number;
  connections: number;
  baselineRssMb: Record<string, number>;
  /** Spawn to first answer for the baseline servers: what node + tsx + Fastify alone cost. */
  baselineStartMs: Record<string, number>;
  rows: Row[];
  engines: EngineFacts[];
}

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const int = (v: number | undefined) => (v === undefined ? '—' : Math.round(v).toLocaleString('en-US'));
const mb = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)} MB`);

function table(header: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(results: Results): string {
  const verdict = (r: Row) => (r.failed > 0 ? `ERROR (${r.failed} failed)` : r.pass === undefined ? 'info' : r.pass ? 'PASS' : 'MISS');
  const throughput = table(
    [
      'scenario',
      'engine',
      'conns',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'srv CPU/req',
      'pg CPU/req',
      'baseline',
      'ratio',
      'target',
      'result',
    ],
    results.rows.map((r) => [
      r.scenario,
      r.engine,
      String(r.connections),
      int(r.rps),
      ms(r.p50),
      ms(r.p95),
      ms(r.p99),
      ms(r.serverCpuMs),
      r.engine === 'pglite' || r.scenario.includes('bare') ? '—' : ms(r.postgresCpuMs),
      r.baseline ?? '—',
      r.ratio === undefined ? '—' : `${(r.ratio * 100).toFixed(0)}%`,
      r.target ?? '—',
      verdict(r),
    ]),
    new Set([2, 3, 4, 5, 6, 7, 8, 10]),
  );
  const process = table(
    ['engine', 'tickets', 'first start', 'restart (existing data)', 'RSS idle', 'RSS idle (seeded)', 'RSS under load (peak)', 'seeding'],
    results.engines.map((e) => [
      e.engine,
      int(e.tickets),
      e.firstStartMs === undefined ? '—' : `${int(e.firstStartMs)} ms`,
      e.restartMs === undefined ? '—' : `${int(e.restartMs)} ms`,
      mb(e.rssIdleMb),
      mb(e.rssIdleSeededMb),
      mb(e.rssLoadMb),
      e.seedMs === undefined ? '—' : `${(e.seedMs / 1000).toFixed(1)} s`,
    ]),
    new Set([1, 2, 3, 4, 5, 6, 7]),
  );
  const baselineRss = Object.entries(results.baselineRssMb)
    .map(([mode, v]) => `${mode} ${mb(v)}`)
    .join(', ');
  const baselineStart = Object.entries(results.baselineStartMs)
    .map(([mode, v]) => `${mode} ${int(v)} ms`)
    .join(', ');
  const errors = results.engines.filter((e) => e.error).map((e) => `${e.engine} FAILED: ${e.error}`);
  return [
    `Firebreak benchmark — ${results.startedAt}, ${results.machine.cpus} cores, Node ${results.machine.node}, ${results.machine.postgres}`,
    `${results.seconds} s per scenario after ${results.warmupSeconds} s of warm-up, autocannon on loopback.`,
    "How to read: req/s counts 2xx answers; pNN are exact latency percentiles over every response of the run; ratio = Firebreak req/s ÷ the baseline route's req/s measured in this run; CPU/req = CPU ms per answer in the server process and in all PostgreSQL processes (PGlite runs inside the server); targets apply to PostgreSQL, PGlite rows are informational.",
    '',
    throughput,
    '',
    process,
    `Start = spawn until GET /api/v1/health answers 200. Baseline servers, for scale: start ${baselineStart || '—'}; RSS under load ${baselineRss || '—'}.`,
    ...errors,
  ].join('\n');
}

/** Where `npm run bench` keeps the latest figures of each bench, for people to read. */
export const PERFORMANCE_DOC = path.join(import.meta.dirname, '..', 'docs', 'performance.md');

const DOC_INTRO = `# Performance

Written by \`npm run bench\` (each bench also by its own \`npm run bench:…\`): one section per bench,
replaced whenever that bench finishes, so each holds its latest figures with the machine, its load,
the versions and the date of that run. Sections may come from different runs and machines; compare
figures only with the baselines printed beside them. README.md (*Performance*) says what each bench
measures and why.
`;

export interface RunFacts {
  /** When the bench started and finished (ISO 8601, UTC). */
  startedAt: string;
  finishedAt: string;
  /** 1-minute load averages sampled through the run: other work competes for the same cores. */
  load: number[];
}

/** CPU, cores, memory and versions: what a reader needs to weigh the figures. */
export async function machineFacts(): Promise<string[]> {
  const cpus = os.cpus();
  const pgliteVersion = (() => {
    try {
      const file = path.join(import.meta.dirname, '..', 'node_modules', '@electric-sql', 'pglite', 'package.json');
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  })();
  return [
    `Machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `Versions: Node ${process.version}, ${await postgresVersion()}, PGlite ${pgliteVersion}`,
  ];
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0].server_version.split(' ')[0]}`;
  } catch {
    return 'PostgreSQL not reachable';
  } finally {
    await client.end().catch(() => {});
  }
}

const loadFigure = (load: number[]) => {
  const round = (v: number) => v.toFixed(1);
  return `load (1-min average) ${round(load[0])} at the start, ${round(load[load.length - 1])} at the end, at most ${round(Math.max(...load))}`;
};

/**
 * Puts one bench's console output into docs/performance.md under its own heading, replacing the
 * section an earlier run of the same bench wrote and leaving the others as they are.
 */
export async function recordSection(bench: string, command: string, output: string, run: RunFacts, doc = PERFORMANCE_DOC): Promise<void> {
  const begin = `<!-- bench:${bench} -->`;
  const end = `<!-- /bench:${bench} -->`;
  const text = stripAnsi(output).replace(/\s+$/, '').replaceAll('```', "'''");
  const section = [
    begin,
    `## ${bench}`,
    '',
    `- Run: \`${command}\`, ${run.startedAt.slice(0, 16).replace('T', ' ')} to ${run.finishedAt.slice(11, 16)} UTC.`,
    ...(await machineFacts()).map((line) => `- ${line}.`),
    `- While it ran: ${loadFigure(run.load)} (the machine is shared; figures move with it).`,
    '',
    '```text',
    text,
    '```',
    end,
  ].join('\n');
  const current = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : DOC_INTRO;
  const at = current.indexOf(begin);
  const after = current.indexOf(end);
  const next =
    at >= 0 && after > at
      ? current.slice(0, at) + section + current.slice(after + end.length)
      : `${current.replace(/\s+$/, '')}\n\n${section}\n`;
  fs.mkdirSync(path.dirname(doc), { recursive: true });
  fs.writeFileSync(doc, next);
}

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes are what this removes
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}
