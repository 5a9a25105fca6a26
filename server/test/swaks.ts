import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What swaks (Debian's SMTP test tool) said and how it exited. */
export interface SwaksResult {
  code: number;
  transcript: string;
}

/**
 * Sends one real mail over SMTP with swaks. `data` is the whole message (headers and body);
 * `args` are extra swaks options (--to, --from, --auth …).
 */
export function swaks(
  port: number,
  options: { from?: string; to?: string | string[]; data?: string | Buffer; args?: string[] },
): Promise<SwaksResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swaks-'));
  const args = ['--server', '127.0.0.1', '--port', String(port), '--helo', 'client.example.test', '--timeout', '20'];
  args.push('--from', options.from ?? 'pat@example.test');
  const to = options.to ?? 'support@firebreak.test';
  args.push('--to', Array.isArray(to) ? to.join(',') : to);
  if (options.data !== undefined) {
    const file = path.join(dir, 'message.eml');
    fs.writeFileSync(file, options.data);
    args.push('--data', `@${file}`);
  }
  args.push(...(options.args ?? []));
  return new Promise((resolve) => {
    execFile('swaks', args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, transcript: `${stdout}${stderr}` });
    });
  });
}

/** A message as a mail client writes it: headers, an empty line, the body; CRLF line ends. */
export function message(headers: Record<string, string>, body: string): string {
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  return `${head}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
}
