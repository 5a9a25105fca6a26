/**
 * `npm start` (and bin/firebreak.mjs): runs the server from JavaScript compiled from its
 * TypeScript sources, not through tsx. tsx's loader runs on its own thread with its own V8 heap
 * on Node 20 and kept ~80 MB resident for the server's whole life (measured with bench/memory.ts,
 * see ARCHITECTURE.md, *Memory*). The compiled copy is made once per set of sources, in a child
 * process (its memory is returned when it exits), and reused until a source changes: there is
 * still no build step between `npm install` and use.
 *
 * Layout: .firebreak/server-<hash>/{server/src,core}/… mirrors the sources, so relative imports
 * and the router's worker file resolve as they do from source; packages resolve from the
 * repository's node_modules above it. The migrations are copied beside the compiled db code.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledSources, sourceHash } from './launch-sources.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const COMPILED_ROOT = path.join(ROOT, '.firebreak');
const KEEP_OLDER = 3;

function ensureCompiled() {
  const hash = sourceHash(ROOT, compiledSources(ROOT));
  const target = path.join(COMPILED_ROOT, `server-${hash}`);
  const entry = path.join(target, 'server', 'src', 'cli.js');
  if (fs.existsSync(entry)) return entry;
  fs.mkdirSync(COMPILED_ROOT, { recursive: true });
  const staging = path.join(COMPILED_ROOT, `.building-${process.pid}-${Date.now()}`);
  const compiled = spawnSync(process.execPath, [path.join(import.meta.dirname, 'compile.mjs'), staging], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (compiled.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    console.error(`Compiling the server failed (${compiled.signal ?? `exit ${compiled.status}`}).`);
    process.exit(1);
  }
  try {
    fs.renameSync(staging, target);
  } catch (err) {
    // Another process finished the same sources first: use theirs.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(entry)) throw err;
  }
  // A process started before the sources changed may still be running from an older copy (its
  // worker file is read later): keep the few newest, remove the rest.
  const older = fs
    .readdirSync(COMPILED_ROOT)
    .filter((name) => name.startsWith('server-') && name !== `server-${hash}`)
    .map((name) => ({ name, mtime: fs.statSync(path.join(COMPILED_ROOT, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of older.slice(KEEP_OLDER)) fs.rmSync(path.join(COMPILED_ROOT, name), { recursive: true, force: true });
  return entry;
}

// FIREBREAK_FROM_SOURCE=on runs the TypeScript through tsx as before (e.g. to debug with
// breakpoints in the sources without source maps).
if (process.env.FIREBREAK_FROM_SOURCE === 'on') {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(ROOT, 'server', 'src', 'cli.ts')).href);
} else {
  await import(pathToFileURL(ensureCompiled()).href);
}
