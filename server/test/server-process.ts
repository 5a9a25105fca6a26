import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/**
 * How long a start may take before a test gives up. Readiness is the "running at" line, printed
 * once the server listens; the ceiling only bounds a start that hangs. It is generous because a
 * first start on a loaded machine (eight suites on two cores) has been seen to take 58.8 s; a
 * server that exits fails the wait at once, with its output.
 */
export const SERVER_START_CEILING_MS = 300_000;

/**
 * Starts `firebreak start` as a real process on a free port and waits until it serves: the
 * compiled server `npm start` runs (server/launch.mjs compiles the sources once per change; a
 * start through tsx cost ~1 s more CPU and ~80 MB more memory, dozens of times a run). The one
 * difference from a real start: scrypt works at a test's cost (server/test/cheap-scrypt.mjs).
 */
export async function startServerProcess(env: Record<string, string>, ceilingMs = SERVER_START_CEILING_MS): Promise<ServerProcess> {
  // cheap-scrypt: passwords hashed at a test's cost, not 128 MiB and seconds each (see that file).
  const preload = ['--import', path.join(ROOT, 'server/test/cheap-scrypt.mjs')];
  const child = spawn(process.execPath, [...preload, path.join(ROOT, 'server/launch.mjs'), 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      FIREBREAK_LOG_LEVEL: 'warn',
      FIREBREAK_WEB_UI: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${ceilingMs / 1000} s:\n${output}`));
    }, ceilingMs);
    const check = () => {
      // Up to the space after the address: a line read in two pieces must not yield a cut port.
      const match = /running at (http:\/\/[^\s]+)\s/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before serving:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

export function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
