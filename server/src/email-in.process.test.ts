import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../test/database.js';
import { exited, startServerProcess } from '../test/server-process.js';
import { message, swaks } from '../test/swaks.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-email-in-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Resolves when the process has printed something matching `pattern`. */
function printed(output: () => string, child: NodeJS.EventEmitter & { stdout: NodeJS.ReadableStream | null }, pattern: RegExp) {
  return new Promise<RegExpExecArray>((resolve) => {
    const check = () => {
      const match = pattern.exec(output());
      if (match) {
        child.stdout?.off('data', check);
        resolve(match);
      }
    };
    child.stdout?.on('data', check);
    check();
  });
}

describe.runIf(testEngine() === 'pglite')('npm start with e-mail in', () => {
  it('starts the SMTP listener when configured, takes a mail into a ticket, and stops it with the server', async () => {
    const server = await startServerProcess({
      FIREBREAK_DATA_DIR: dir,
      FIREBREAK_ADMIN_PASSWORD: 'a long admin password',
      FIREBREAK_SUPPORT_ADDRESS: 'support@firebreak.test',
      FIREBREAK_SMTP_LISTEN_PORT: '0',
    });
    const [, port] = await printed(server.output, server.child, /E-mail in: SMTP on 127\.0\.0\.1:(\d+) for support@firebreak\.test/);
    const sent = await swaks(Number(port), {
      data: message({ From: 'pat@example.test', Subject: 'Mail through the real server', 'Message-ID': '<p1@example.test>' }, 'Hello desk'),
    });
    expect(sent.code, sent.transcript).toBe(0);
    expect(sent.transcript).toMatch(/250 Accepted ticket created INC\d{7}/);

    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@firebreak.local', password: 'a long admin password' }),
    });
    const cookie = String(signIn.headers.get('set-cookie')).split(';')[0];
    const list = await (await fetch(`${server.url}/api/v1/tickets?q=Mail`, { headers: { cookie } })).json();
    expect(list.items.map((t: { title: string; channel: string }) => [t.title, t.channel])).toEqual([
      ['Mail through the real server', 'email'],
    ]);

    server.child.kill('SIGTERM');
    expect(await exited(server.child), server.output()).toBe(0);
    const after = await swaks(Number(port), { data: message({ From: 'pat@example.test', Subject: 'x' }, 'x') });
    expect(after.code).toBe(2); // nobody listens any more
  }, 420_000); // a start of up to 300 s (SERVER_START_CEILING_MS), and 120 s for the rest

  it('refuses to start a listener that does not know which addresses it serves', async () => {
    const bad = startServerProcess({ FIREBREAK_DATA_DIR: dir, FIREBREAK_SMTP_LISTEN_PORT: '2525' });
    await expect(bad).rejects.toThrow(/FIREBREAK_SMTP_LISTEN_RECIPIENTS/);
  });
});
