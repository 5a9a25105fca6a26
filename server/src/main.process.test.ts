import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEngine } from '../test/database.js';
import { exited, startServerProcess } from '../test/server-process.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-start-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.runIf(testEngine() === 'pglite')('npm start on a fresh machine', () => {
  it('creates the first admin with a printed password that signs in, and stops cleanly on SIGTERM', async () => {
    const server = await startServerProcess({ FIREBREAK_DATA_DIR: dir });
    const password = /password: (\S+)/.exec(server.output())?.[1];
    expect(password, server.output()).toBeDefined();
    expect(server.output()).toContain('shown only once');
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@firebreak.local', password }),
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('set-cookie')).toMatch(/firebreak_session=.*HttpOnly.*SameSite=Lax/i);
    expect(fs.existsSync(path.join(dir, 'firebreak.pid'))).toBe(true);

    server.child.kill('SIGTERM');
    expect(await exited(server.child), server.output()).toBe(0);
    expect(server.output()).toContain('Firebreak stopped.');
    // Without a mail server, the banner says e-mail stays in the app rather than failing later.
    expect(server.output()).toContain('E-mail out: off. People are notified in the app; set FIREBREAK_SMTP_URL to send e-mail too.');
    expect(fs.existsSync(path.join(dir, 'firebreak.pid'))).toBe(false);

    // The second start finds the admin and prints no password.
    const again = await startServerProcess({ FIREBREAK_DATA_DIR: dir });
    expect(again.output()).not.toContain('password:');
    again.child.kill('SIGTERM');
    expect(await exited(again.child)).toBe(0);
  }, 720_000); // two starts of up to 300 s each (SERVER_START_CEILING_MS), and 120 s for the rest

  it('exits with the reason when its port is taken, instead of living on without serving', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      // startServerProcess rejects only when the process exits before serving.
      const start = startServerProcess({ FIREBREAK_DATA_DIR: dir, PORT: String(port) });
      await expect(start).rejects.toThrow(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
    } finally {
      taken.close();
    }
  }, 360_000);

  it('refuses to start on a bad setting, naming it', async () => {
    const bad = startServerProcess({ FIREBREAK_DATA_DIR: dir, PORT: 'eighty' });
    await expect(bad).rejects.toThrow(/PORT: .*number/);
  });
});
