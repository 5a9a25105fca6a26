/**
 * Runs benches one after another, each as its own process exactly as before (its output goes to
 * the console as it comes), and writes each one's output into docs/performance.md with the machine,
 * load, versions and date (report.ts, recordSection). A bench that fails stops the chain, like
 * `a && b`, and leaves its section as the last good run wrote it.
 *
 *   node --import tsx bench/record.ts bench/run.ts bench/memory.ts …
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordSection } from './report.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The npm script that runs `bench` alone, for the heading (what a reader types to run it again). */
function commandFor(bench: string): string {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const names = Object.keys(scripts).filter((key) => key.startsWith('bench:') && scripts[key].split(/\s+/).includes(bench));
  // The script that runs this bench alone, if there is one, over one that runs it with others.
  const name = names.find((key) => scripts[key].endsWith(`record.ts ${bench}`)) ?? names[0];
  return name ? `npm run ${name}` : `node --import tsx ${bench}`;
}

async function runOne(bench: string): Promise<number> {
  const startedAt = new Date().toISOString();
  const load = [os.loadavg()[0]];
  const sampler = setInterval(() => load.push(os.loadavg()[0]), 5_000);
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', bench], { cwd: ROOT, stdio: ['inherit', 'pipe', 'inherit'] });
  // Decoded as a stream: a character split between two chunks ('—') stays whole.
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    process.stdout.write(chunk);
    output += chunk;
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) => child.once('close', (exit, signal) => resolve(exit ?? (signal ? 1 : 0))));
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  clearInterval(sampler);
  load.push(os.loadavg()[0]);
  if (code === 0) await recordSection(bench, commandFor(bench), output, { startedAt, finishedAt: new Date().toISOString(), load });
  return code;
}

const benches = process.argv.slice(2);
if (benches.length === 0) {
  console.error('usage: record.ts bench/<name>.ts …');
  process.exit(2);
}
for (const bench of benches) {
  const code = await runOne(bench);
  if (code !== 0) {
    console.error(`${bench} failed (exit ${code}); docs/performance.md keeps its previous figures.`);
    process.exit(code);
  }
}
