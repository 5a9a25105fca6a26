import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './alertmanager.js';

export const DOVECOT_BINARY = '/usr/sbin/dovecot';

export interface RunningDovecot {
  host: string;
  port: number;
  /** The log dovecot wrote (logins, refusals), for failure messages. */
  log(): string;
  /** Kills the server but keeps its mail: `start` brings it back on the same port. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Kills it and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Debian's dovecot as a real IMAP server on loopback, with its own config, passwd-file and
 * maildirs in a temp folder; no TLS (loopback only). Mail processes run as the current user,
 * or as `nobody` when that is root (dovecot refuses uid 0 for mail and root for its login
 * processes, which then run as the package's `dovenull` user).
 */
export async function startDovecot(accounts: { user: string; password: string }[]): Promise<RunningDovecot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-dovecot-'));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const me = os.userInfo();
  const mailUid = root ? 65534 : me.uid;
  const mailGid = root ? 65534 : me.gid;
  for (const sub of ['run', 'state', 'mail', 'home']) fs.mkdirSync(path.join(dir, sub));
  if (root) {
    fs.chmodSync(dir, 0o755);
    for (const sub of ['mail', 'home']) fs.chownSync(path.join(dir, sub), mailUid, mailGid);
  }
  // {PLAIN} is fine for a throwaway test server on loopback; a real one stores hashes.
  fs.writeFileSync(path.join(dir, 'passwd'), accounts.map((a) => `${a.user}:{PLAIN}${a.password}\n`).join(''));
  const config = [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    // Refusals answer at once, not after dovecot's anti-guessing pause (2 s each by default): the
    // wrong-password test waits for two of them.
    'auth_failure_delay = 0',
    `mail_location = maildir:${dir}/mail/%n`,
    `first_valid_uid = ${Math.min(mailUid, 500)}`,
    `default_login_user = ${root ? 'dovenull' : me.username}`,
    `default_internal_user = ${root ? 'dovecot' : me.username}`,
    `default_internal_group = ${root ? 'dovecot' : me.username}`,
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${dir}/passwd`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=${mailUid} gid=${mailGid} home=${dir}/home/%n`,
    '}',
    'service imap-login {',
    '  chroot =',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
    '}',
    '',
  ].join('\n');
  const configFile = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(configFile, config);
  const logFile = path.join(dir, 'dovecot.log');
  const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');

  let child: ChildProcess | null = null;
  let output = '';
  const start = async () => {
    fs.rmSync(path.join(dir, 'run', 'master.pid'), { force: true });
    const started = spawn(DOVECOT_BINARY, ['-F', '-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout?.on('data', (c) => {
      output += c;
    });
    started.stderr?.on('data', (c) => {
      output += c;
    });
    const deadline = Date.now() + 20_000;
    while (!(await greets(port))) {
      if (started.exitCode !== null) throw new Error(`dovecot exited with ${started.exitCode}:\n${output}\n${readLog()}`);
      if (Date.now() > deadline) throw new Error(`dovecot did not greet on port ${port} in 20 s:\n${output}\n${readLog()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
    // The master is gone; wait until nothing answers on its port any more.
    const deadline = Date.now() + 10_000;
    while ((await greets(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    log: () => `${output}${readLog()}`,
    kill,
    start,
    async stop() {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether an IMAP server answers with its `* OK` greeting on the port. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('* OK')));
  });
}
