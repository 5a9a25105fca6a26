import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../test/database.js';
import { startServerProcess } from '../test/server-process.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-test-clock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// The refusal comes from reading the settings, before any database is opened: one engine is enough.
describe.runIf(testEngine() === 'pglite')('the test clock in production', () => {
  it('refuses to start, saying why and what to do', async () => {
    const start = startServerProcess({ FIREBREAK_DATA_DIR: dir, FIREBREAK_TEST_CLOCK: 'on', NODE_ENV: 'production' });
    await expect(start).rejects.toThrow(
      /FIREBREAK_TEST_CLOCK: "on" lets admins move the server's clock and is for tests only; it is refused with NODE_ENV=production/,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
