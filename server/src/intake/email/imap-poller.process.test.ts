import fs from 'node:fs';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/database.js';
import { DOVECOT_BINARY, type RunningDovecot, startDovecot } from '../../../test/dovecot.js';
import { exited, startServerProcess } from '../../../test/server-process.js';
import { freshServerStorage } from '../../../test/server-storage.js';
import { message } from '../../../test/swaks.js';

/**
 * `npm start` with FIREBREAK_IMAP_URL polls a real mailbox (Debian's dovecot on loopback): a real
 * server process, so a process test (the poller's own behaviour against dovecot is imap-mailbox.process.test.ts).
 * Skipped only when dovecot is not installed AND this is not CI: under CI it must run.
 */
const dovecotOff = !fs.existsSync(DOVECOT_BINARY) && !process.env.CI;
const PASSWORD = 'imap-password-2026';
const USER = 'process@firebreak.test';

describe.skipIf(dovecotOff || testEngine() !== 'pglite')('npm start with an IMAP mailbox (dovecot)', () => {
  let dovecot: RunningDovecot;
  let client: ImapFlow | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    dovecot = await startDovecot([{ user: USER, password: PASSWORD }]);
  }, 60_000);
  afterAll(async () => {
    await client?.logout().catch(() => client?.close());
    await dovecot?.stop();
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, 60_000);

  it('polls the mailbox of FIREBREAK_IMAP_URL, and stops cleanly on SIGTERM', async () => {
    const admin = { email: 'admin@firebreak.test', password: 'imap-admin-password' };
    const server = await startServerProcess({
      ...(await freshServerStorage('imap', cleanups)),
      FIREBREAK_ADMIN_EMAIL: admin.email,
      FIREBREAK_ADMIN_PASSWORD: admin.password,
      FIREBREAK_IMAP_URL: `imap://process%40firebreak.test:${PASSWORD}@127.0.0.1:${dovecot.port}/INBOX`,
      FIREBREAK_IMAP_POLL_SECONDS: '1',
    });
    try {
      // The start banner's lines after "running at" may come in a later chunk of output: wait for it.
      const banner = `E-mail in: polling imap://127.0.0.1:${dovecot.port}/INBOX as process@firebreak.test every 1 s.`;
      await outputIncludes(server, banner, 10_000);
      expect(server.output()).not.toContain(PASSWORD);
      client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
      client.on('error', () => undefined);
      await client.connect();
      const opened = await client.mailboxOpen('INBOX');
      expect(opened.path).toBe('INBOX');
      const appended = await client.append(
        'INBOX',
        message(
          { From: 'ari@example.test', Subject: 'Through npm start', 'Message-ID': `<start.${Date.now()}@client.example.test>` },
          'Hi.',
        ),
      );
      const uid = appended ? appended.uid : undefined;
      expect(uid).toBeDefined();
      // The server flags the mail \Seen once it took it in: the mailbox tells this client of the
      // flag change (IMAP IDLE), so the test waits on that, not on a timer.
      await seenFlag(client, uid as number, 30_000);
      const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(admin),
      });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
      const listed = await (await fetch(`${server.url}/api/v1/inbound-emails`, { headers: { cookie } })).json();
      expect(JSON.stringify(listed)).toContain('Through npm start');
    } finally {
      server.child.kill('SIGTERM');
      expect(await exited(server.child), server.output()).toBe(0);
    }
    expect(server.output()).toContain('Firebreak stopped.');
  }, 420_000); // a start of up to 300 s (SERVER_START_CEILING_MS), and 120 s for the rest
});

/** Resolves when the server's output contains `text`, at the chunk that brings it. */
function outputIncludes(
  server: { child: import('node:child_process').ChildProcess; output: () => string },
  text: string,
  ceilingMs: number,
) {
  return new Promise<void>((resolve, reject) => {
    if (server.output().includes(text)) return resolve();
    const timer = setTimeout(() => {
      server.child.stdout?.off('data', check);
      reject(new Error(`the server did not print "${text}" within ${ceilingMs} ms:\n${server.output()}`));
    }, ceilingMs);
    function check() {
      if (!server.output().includes(text)) return;
      clearTimeout(timer);
      server.child.stdout?.off('data', check);
      resolve();
    }
    server.child.stdout?.on('data', check);
  });
}

/**
 * Resolves once message `uid` has the \Seen flag: checks, then waits for the mailbox's own
 * notice of a flag change (imapflow's `flags` event while idling) and checks again.
 */
async function seenFlag(client: ImapFlow, uid: number, ceilingMs: number): Promise<void> {
  const deadline = Date.now() + ceilingMs;
  for (;;) {
    const changed = new Promise<void>((resolve) => client.once('flags', () => resolve()));
    const found = await client.fetchOne(String(uid), { uid: true, flags: true }, { uid: true });
    if (found !== false && found.flags?.has('\\Seen')) return;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`message ${uid} was not flagged \\Seen within ${ceilingMs} ms`);
    await Promise.race([changed, new Promise((resolve) => setTimeout(resolve, left))]);
  }
}
