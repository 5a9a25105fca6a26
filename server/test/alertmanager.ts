import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';

export interface RunningAlertmanager {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Debian's Alertmanager on loopback with its own config and data folder (removed on stop),
 * clustering off, sending every group to one webhook with a bearer token, fast group timers.
 */
export async function startAlertmanager(
  webhook: { url: string; token: string },
  timers: { groupWait: string; groupInterval: string } = { groupWait: '1s', groupInterval: '1s' },
): Promise<RunningAlertmanager> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-am-'));
  const port = await freePort();
  const config = [
    'route:',
    '  receiver: firebreak',
    "  group_by: ['alertname', 'service']",
    `  group_wait: ${timers.groupWait}`,
    `  group_interval: ${timers.groupInterval}`,
    '  repeat_interval: 1h',
    'receivers:',
    '  - name: firebreak',
    '    webhook_configs:',
    `      - url: ${JSON.stringify(webhook.url)}`,
    '        send_resolved: true',
    '        http_config:',
    '          authorization:',
    '            type: Bearer',
    `            credentials: ${JSON.stringify(webhook.token)}`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'alertmanager.yml'), config);
  const child = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=info', // for the "Listening on" line: readiness
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = `http://127.0.0.1:${port}`;
  // Ready when it says it listens (it loads its configuration first): wait for that line, not a poll.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`alertmanager did not start listening in 30 s:\n${output}`));
    }, 30_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('msg="Listening on"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`alertmanager exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
