import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root, whichever directory the server was started from. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB_ROOT = path.join(PROJECT_ROOT, 'web');
const DIST_ROOT = path.join(WEB_ROOT, 'dist');
const KEEP_OLDER_BUILDS = 3;

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
  const { build } = await import('vite');
  // Always a production build: under a test runner NODE_ENV is "test", which would make Vite
  // bundle React's development build (three times larger, slower).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(WEB_ROOT, 'vite.config.ts'),
      root: WEB_ROOT,
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
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
