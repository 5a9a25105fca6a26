import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../test/database.js';
import { exited, type ServerProcess, startServerProcess } from '../../test/server-process.js';
import { freshServerStorage } from '../../test/server-storage.js';
import { message, swaks } from '../../test/swaks.js';

/**
 * `FIREBREAK_WORKERS=N` (issue 19, item 3): the real primary forks its workers on one port,
 * replaces one that is SIGKILLed while the others keep serving, and drains them all on SIGTERM.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ADMIN = { FIREBREAK_ADMIN_EMAIL: 'admin@workers.test', FIREBREAK_ADMIN_PASSWORD: 'correct horse battery' };
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Resolves with the first match of `pattern` in the server's output (the primary says what it does). */
function waitForOutput(server: ServerProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(server.output());
      if (!match) return;
      server.child.stdout?.off('data', check);
      resolve(match);
    };
    server.child.stdout?.on('data', check);
    server.child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${pattern}:\n${server.output()}`)));
    check();
  });
}

/** GET /api/v1/health on a new connection: a kept one may lead to the worker just killed. */
function health(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/api/v1/health`, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    // A connection lost with a dead worker would otherwise hang the test until its ceiling.
    req.setTimeout(30_000, () => req.destroy(new Error('no answer to GET /api/v1/health within 30 s')));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.runIf(testEngine() === 'pglite')('several processes on the embedded database', () => {
  it('are refused at start, in words', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/cli.ts'), 'start', '--workers', '2'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', FIREBREAK_WEB_UI: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    expect(await exited(child)).toBe(1);
    expect(output).toContain(
      'FIREBREAK_WORKERS: 2 server processes need PostgreSQL (DATABASE_URL); the embedded database serves one process',
    );
  }, 60_000);
});

describe.runIf(testEngine() === 'postgres')('FIREBREAK_WORKERS=2', () => {
  it('serves on one port from two processes, replaces one that is SIGKILLed, and drains both on SIGTERM', async () => {
    const storage = await freshServerStorage('workers', cleanups);
    const server = await startServerProcess({
      ...storage,
      ...ADMIN,
      FIREBREAK_WORKERS: '2',
      FIREBREAK_SMTP_LISTEN_PORT: '0',
      FIREBREAK_SUPPORT_ADDRESS: 'support@firebreak.test',
    });
    cleanups.push(async () => {
      if (server.child.exitCode === null) {
        server.child.kill('SIGKILL');
        await exited(server.child);
      }
    });
    const [, first, second] = (await waitForOutput(server, /2 worker processes serve it \(pids (\d+), (\d+)\)/)).map(Number) as [
      number,
      number,
      number,
    ];
    const smtpPort = Number((await waitForOutput(server, /E-mail in: SMTP on 127\.0\.0\.1:(\d+)/))[1]);
    expect(server.output().match(/running at/g)).toHaveLength(1); // one banner, once both serve

    process.kill(first, 'SIGKILL');
    // Once the primary has seen the death (a connection handed over in that instant is lost with
    // the worker), the other worker answers on the same port while the first is replaced.
    await waitForOutput(server, new RegExp(`Worker 1 \\(pid ${first}\\) was killed \\(SIGKILL\\); starting a new one in 1 s\\.`));
    expect(await health(server.url)).toBe(200);
    const replacement = Number((await waitForOutput(server, /Worker 1 is serving again \(pid (\d+)\)/))[1]);
    expect(replacement).not.toBe(first);

    // Now the second goes: the replacement serves HTTP and mail on the shared ports.
    process.kill(second, 'SIGKILL');
    await waitForOutput(server, new RegExp(`Worker 2 \\(pid ${second}\\) was killed`));
    expect(await health(server.url)).toBe(200);
    const mail = await swaks(smtpPort, {
      data: message({ From: 'pat@example.test', To: 'support@firebreak.test', Subject: 'Printer jammed' }, 'Floor 2.'),
    });
    expect(mail.code, mail.transcript).toBe(0);
    const db = new pg.Client({ connectionString: storage.DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM tickets WHERE title = 'Printer jammed'`);
      expect(rows[0].n).toBe(1);
    } finally {
      await db.end();
    }
    const last = Number((await waitForOutput(server, /Worker 2 is serving again \(pid (\d+)\)/))[1]);

    server.child.kill('SIGTERM');
    expect(await exited(server.child)).toBe(0);
    expect(server.output()).toContain('SIGTERM received: each worker finishes its requests in flight');
    expect(server.output()).toContain('Firebreak stopped.');
    expect([replacement, last].filter(alive)).toEqual([]);
  }, 600_000);
});
