import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root, whichever directory the server was started from: the nearest folder
 * with a package.json above this file, so it is the same from source and from the compiled copy
 * npm start runs (.firebreak/server-<hash>/server/src, server/launch.mjs).
 */
export const PROJECT_ROOT = nearestPackageFolder(path.dirname(fileURLToPath(import.meta.url)));
const WEB_ROOT = path.join(PROJECT_ROOT, 'web');
const DIST_ROOT = path.join(WEB_ROOT, 'dist');
const KEEP_OLDER_BUILDS = 3;

function nearestPackageFolder(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Everything a build depends on: the web sources, the core they import, and the locked dependencies. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('.test.ts')) files.push(full);
    }
  };
  walk(WEB_ROOT);
  walk(path.join(PROJECT_ROOT, 'core'));
  files.push(path.join(PROJECT_ROOT, 'package-lock.json'));
  return files.sort();
}

export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles()) {
    hash.update(path.relative(PROJECT_ROOT, file));
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : '');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The built web UI for the current sources: built once (about a second with Vite), then reused
 * until a source changes. Each build goes to its own folder named by the sources' hash and is
 * moved into place whole, so two processes starting at once never serve a half-written build.
 */
export async function ensureWebBuild(log: (line: string) => void): Promise<string> {
  const hash = webSourceHash();
  const target = path.join(DIST_ROOT, hash);
  if (fs.existsSync(path.join(target, 'index.html'))) return target;
  const started = performance.now();
  const staging = path.join(DIST_ROOT, `.building-${process.pid}-${Date.now()}`);
  await runViteBuild(staging);
  try {
    fs.renameSync(staging, target);
  } catch (err) {
    // Another process finished the same build first: use theirs.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, 'index.html'))) throw err;
  }
  // Older builds may still be served by a process started before the sources changed (its
  // index.html names their assets): keep the few newest, remove the rest.
  const older = fs
    .readdirSync(DIST_ROOT)
    .filter((name) => name !== hash && !name.startsWith('.') && name !== 'manual')
    .map((name) => ({ name, mtime: fs.statSync(path.join(DIST_ROOT, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of older.slice(KEEP_OLDER_BUILDS)) fs.rmSync(path.join(DIST_ROOT, name), { recursive: true, force: true });
  log(`Built the web UI in ${Math.round(performance.now() - started)} ms.`);
  return target;
}

/**
 * Vite runs in a child process: loaded into the server it kept ~200 MB (its modules, Rolldown's
 * native heap) resident for the server's whole life after a first start; a child returns all of
 * it when it exits. Always a production build: under a test runner NODE_ENV is "test", which
 * would make Vite bundle React's development build (three times larger, slower).
 */
function runViteBuild(outDir: string): Promise<void> {
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const args = [vite, 'build', WEB_ROOT, '--config', path.join(WEB_ROOT, 'vite.config.ts'), '--mode', 'production'];
  args.push('--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`Building the web UI failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}
