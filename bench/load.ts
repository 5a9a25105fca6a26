import { createRequire } from 'node:module';
import autocannon, { type AutocannonRequest } from 'autocannon';

/**
 * autocannon appends every response body to a string (`req.body += data`, a UTF-8 decode per
 * chunk) for its body checks and `onResponse` hooks, which no bench uses. On 2 cores the load
 * generator shares the machine with the server, and that decoding made it the limit: reading a
 * 35 KB status page cost it twice what reading a 17-byte answer did, and twice again when the
 * page held a few non-ASCII characters. Without it, the generator's cost per answer barely
 * depends on the body, and the servers' rates are what the benches compare. Bytes are still
 * counted (`bytes`, from the parser's lengths).
 */
const PipelinedRequestsQueue = createRequire(import.meta.url)('autocannon/lib/pipelinedRequestsQueue.js') as {
  prototype: { addBody(data: unknown): void };
};
PipelinedRequestsQueue.prototype.addBody = () => {};

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Varies each request (a different ticket id, a different body). */
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
  connections: number;
  seconds: number;
  /** Called every 200 ms while the load runs, e.g. to sample the server's memory. */
  onSample?: () => void;
}

export interface LoadResult {
  /** 2xx responses per second over the measured window. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  ok: number;
  /** Non-2xx responses, socket errors and timeouts: any of these makes the run invalid. */
  failed: number;
  statusCodes: Record<string, number>;
}

/**
 * One autocannon run. Latencies are recorded from every response (autocannon's own summary has
 * p97.5 but no p95), so p50/p95/p99 are exact nearest-rank percentiles over the whole run.
 */
export function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const request: AutocannonRequest = {
      method: options.method ?? 'GET',
      path: options.path,
      headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.body,
      // An explicit `undefined` would replace autocannon's default and break it.
      ...(options.setupRequest ? { setupRequest: options.setupRequest } : {}),
    };
    const sampler = options.onSample ? setInterval(options.onSample, 200) : undefined;
    const instance = autocannon(
      { url: options.url, connections: options.connections, duration: options.seconds, timeout: 10, requests: [request] },
      (err, result) => {
        if (sampler) clearInterval(sampler);
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
        resolve({
          rps: result['2xx'] / result.duration,
          p50: percentile(latencies, 0.5),
          p95: percentile(latencies, 0.95),
          p99: percentile(latencies, 0.99),
          ok: result['2xx'],
          failed: result.non2xx + result.errors + result.timeouts,
          statusCodes,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
