/**
 * Which files the compiled server (server/launch.mjs) is made from, and their hash: the
 * TypeScript of server/src and core outside the tests, and the migrations (copied as they are).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const SOURCE_FOLDERS = ['server/src', 'core'];
const MIGRATIONS = path.join('server', 'src', 'db', 'migrations');

export function compiledSources(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(relative);
      else if (dir.startsWith(MIGRATIONS)) files.push(relative);
    }
  };
  for (const folder of SOURCE_FOLDERS) walk(folder);
  return files.sort();
}

/** Names and contents, and the lock file: a new Vite may compile the same source differently. */
export function sourceHash(root, files) {
  const hash = createHash('sha256');
  for (const file of [...files, 'package-lock.json']) {
    hash.update(file);
    hash.update(fs.readFileSync(path.join(root, file)));
  }
  return hash.digest('hex').slice(0, 16);
}
