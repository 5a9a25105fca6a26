import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledSources, sourceHash } from './launch-sources.mjs';

let root = '';
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

describe('what npm start compiles (server/launch.mjs)', () => {
  it('compiles the server and core sources and the migrations, not the tests, and recompiles only when one of them changes', () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-launch-'));
    write('package-lock.json', '{}');
    write('server/src/cli.ts', 'export {};');
    write('server/src/cli.test.ts', 'test');
    write('server/src/db/migrations/0001_init.sql', 'CREATE TABLE t ();');
    write('server/src/db/migrations/meta/_journal.json', '{}');
    write('server/src/demo/stories.jsonl', '{}');
    write('core/rule.ts', 'export const a = 1;');
    expect(compiledSources(root)).toEqual([
      'core/rule.ts',
      'server/src/cli.ts',
      'server/src/db/migrations/0001_init.sql',
      'server/src/db/migrations/meta/_journal.json',
    ]);

    const first = sourceHash(root, compiledSources(root));
    write('server/src/cli.test.ts', 'a test changed');
    expect(sourceHash(root, compiledSources(root))).toBe(first);
    write('core/rule.ts', 'export const a = 2;');
    const second = sourceHash(root, compiledSources(root));
    expect(second).not.toBe(first);
    write('server/src/db/migrations/0002_more.sql', 'ALTER TABLE t ADD c int;');
    expect(sourceHash(root, compiledSources(root))).not.toBe(second);
  });
});
