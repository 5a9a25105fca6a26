import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { ProbeOutcome } from '../../../core/alerts/check-verdict.js';
import { type OutboundGuard, OutboundRefusedError, pinnedLookup, withDeadline } from './outbound-guard.js';

/** Measures an HTTP(S) request or a TCP connect. Touches the network: injected, replaceable in tests. */
export interface Prober {
  http(url: string, timeoutMs: number): Promise<ProbeOutcome>;
  tcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome>;
}

const BODY_LIMIT = 64 * 1024;

class ProbeTimeout extends Error {}

/**
 * Probes through the outbound guard: the target's name is resolved once, every address checked
 * (a private one fails the probe with the reason, and nothing is connected to), and the
 * connection pinned to the checked addresses. Redirects are not followed: a 3xx is the answer.
 */
export function networkProber(guard: OutboundGuard): Prober {
  return {
    async http(url, timeoutMs) {
      const started = performance.now();
      const deadline = AbortSignal.timeout(timeoutMs);
      const failed = (error: string): ProbeOutcome => ({ latencyMs: performance.now() - started, statusCode: null, body: null, error });
      try {
        const target = new URL(url);
        const addresses = await withDeadline(guard.resolve(target.hostname), timeoutMs, () => new ProbeTimeout());
        const { statusCode, body } = await new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
          const request = (target.protocol === 'https:' ? https : http).get(
            target,
            { lookup: pinnedLookup(addresses), signal: deadline, headers: { 'user-agent': 'Firebreak-check/1' }, agent: false },
            (response) => {
              const decoder = new TextDecoder();
              let text = '';
              const finish = () => {
                response.destroy();
                resolve({ statusCode: response.statusCode ?? 0, body: text + decoder.decode() });
              };
              response.on('data', (chunk: Buffer) => {
                text += decoder.decode(chunk, { stream: true });
                if (text.length >= BODY_LIMIT) finish();
              });
              response.on('end', finish);
              response.on('error', reject);
            },
          );
          request.on('error', reject);
        });
        return { latencyMs: performance.now() - started, statusCode, body, error: null };
      } catch (err) {
        if (err instanceof OutboundRefusedError) return failed(err.message);
        const e = err as NodeJS.ErrnoException;
        if (err instanceof ProbeTimeout || e.name === 'AbortError' || e.name === 'TimeoutError')
          return failed(`no answer within ${timeoutMs} ms`);
        return failed(e.code ?? e.message);
      }
    },
    async tcp(host, port, timeoutMs) {
      const started = performance.now();
      const failed = (error: string): ProbeOutcome => ({ latencyMs: performance.now() - started, statusCode: null, body: null, error });
      let addresses: Awaited<ReturnType<OutboundGuard['resolve']>>;
      try {
        addresses = await withDeadline(guard.resolve(host), timeoutMs, () => new ProbeTimeout());
      } catch (err) {
        if (err instanceof OutboundRefusedError) return failed(err.message);
        if (err instanceof ProbeTimeout) return failed(`no connection within ${timeoutMs} ms`);
        const e = err as NodeJS.ErrnoException;
        return failed(e.code ?? e.message);
      }
      const left = Math.max(1, timeoutMs - (performance.now() - started));
      return new Promise((resolve) => {
        const socket = net.connect({ host, port, lookup: pinnedLookup(addresses) });
        const done = (error: string | null) => {
          socket.destroy();
          resolve({ latencyMs: performance.now() - started, statusCode: null, body: null, error });
        };
        socket.setTimeout(left, () => done(`no connection within ${timeoutMs} ms`));
        socket.once('connect', () => done(null));
        socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
      });
    },
  };
}
