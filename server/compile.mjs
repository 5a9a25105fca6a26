/**
 * Compiles the server's and core's TypeScript to JavaScript, one file for one file, into the
 * folder given (server/launch.mjs runs this as a child process and moves the folder into place).
 * Oxc through Vite's transformWithOxc: Vite is already a dependency (it builds the web UI), and
 * the sources are written for per-file compilation (isolatedModules, verbatimModuleSyntax).
 * Source maps go to .js.map files beside the code: read only with --enable-source-maps, so they
 * cost no memory otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { transformWithOxc } from 'vite';
import { compiledSources } from './launch-sources.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const out = process.argv[2];
if (!out) {
  console.error('usage: compile.mjs <folder>');
  process.exit(2);
}
for (const file of compiledSources(ROOT)) {
  const target = path.join(out, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (!file.endsWith('.ts')) {
    fs.copyFileSync(path.join(ROOT, file), target);
    continue;
  }
  const code = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const result = await transformWithOxc(code, path.join(ROOT, file), { lang: 'ts', sourcemap: true, target: 'es2023' });
  const js = target.replace(/\.ts$/, '.js');
  fs.writeFileSync(js, `${result.code}\n//# sourceMappingURL=${path.basename(js)}.map\n`);
  fs.writeFileSync(`${js}.map`, JSON.stringify(result.map));
}
