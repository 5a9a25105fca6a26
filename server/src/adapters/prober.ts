import net from 'node:net';
import type { ProbeOutcome } from '../../../core/alerts/check-verdict.js';

/** Measures an HTTP(S) request or a TCP connect. Touches the network: injected, replaceable in tests. */
export interface Prober {
  http(url: string, timeoutMs: number): Promise<ProbeOutcome>;
  tcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome>;
}

const BODY_LIMIT = 64 * 1024;

export const networkProber: Prober = {
  async http(url, timeoutMs) {
    const started = performance.now();
    try {
      const res = await fetch(url, {
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: { 'user-agent': 'Firebreak-check/1' },
      });
      let body = '';
      if (res.body) {
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        while (body.length < BODY_LIMIT) {
          const { done, value } = await reader.read();
          if (done) break;
          body += decoder.decode(value, { stream: true });
        }
        await reader.cancel().catch(() => {});
      }
      return { latencyMs: performance.now() - started, statusCode: res.status, body, error: null };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
      return { latencyMs: performance.now() - started, statusCode: null, body: null, error: reason };
    }
  },
  tcp(host, port, timeoutMs) {
    const started = performance.now();
    return new Promise((resolve) => {
      const socket = net.connect({ host, port });
      const done = (error: string | null) => {
        socket.destroy();
        resolve({ latencyMs: performance.now() - started, statusCode: null, body: null, error });
      };
      socket.setTimeout(timeoutMs, () => done(`no connection within ${timeoutMs} ms`));
      socket.once('connect', () => done(null));
      socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    });
  },
};
