import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledSources, sourceHash } from './launch-sources.mjs';
import { testEngine } from './test/database.js';
import { exited, SERVER_START_CEILING_MS } from './test/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-launch-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.runIf(testEngine() === 'pglite')('npm start (server/launch.mjs)', () => {
  it('runs the server compiled to JavaScript for the current sources, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'server/launch.mjs'), 'start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', FIREBREAK_WEB_UI: 'off', FIREBREAK_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const started = Date.now();
    while (!/running at (http:\/\/\S+)\s/.test(output)) {
      expect(child.exitCode, output).toBeNull();
      expect(Date.now() - started, output).toBeLessThan(SERVER_START_CEILING_MS);
      await new Promise((resolve) => child.stdout.once('data', resolve));
    }
    const url = /running at (http:\/\/\S+)\s/.exec(output)![1];
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);

    const compiled = path.join(ROOT, '.firebreak', `server-${sourceHash(ROOT, compiledSources(ROOT))}`);
    expect(fs.existsSync(path.join(compiled, 'server/src/cli.js'))).toBe(true);
    expect(fs.existsSync(path.join(compiled, 'server/src/db/migrations/meta/_journal.json'))).toBe(true);

    child.kill('SIGTERM');
    expect(await exited(child), output).toBe(0);
    expect(output).toContain('Firebreak stopped.');
  }, 400_000);
});
