import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { type OutboundGuard, pinnedLookup, withDeadline } from './outbound-guard.js';

/**
 * Posts a webhook. The receiver checks `X-Firebreak-Signature: v1=<hex>` — HMAC-SHA256 with the
 * shared secret over `<timestamp>.<body>` — and refuses timestamps older than a few minutes, so
 * a captured request cannot be replayed later. Throws on anything but a 2xx, so the job retries;
 * throws OutboundRefusedError (from the guard) when the target is on a private network.
 */
export interface WebhookSender {
  post(url: string, body: string, secret: string): Promise<void>;
}

/**
 * The receiver already has as many deliveries in flight from this process as it may have: the
 * delivery was not sent, and is tried again shortly (not counted as a failed attempt).
 */
export class TargetBusyError extends Error {
  override name = 'TargetBusyError';
}

/** Deliveries one process keeps in flight to one receiver (scheme, host and port) at most. */
export const DELIVERIES_PER_TARGET = 16;

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Through the outbound guard: resolved once, every address checked, the connection pinned to
 * them (see outbound-guard.ts). Connections are kept alive and reused: each was opened to an
 * address checked at the time. Redirects are not followed.
 */
export function httpWebhookSender(options: {
  timeoutMs: number;
  now: () => Date;
  guard: OutboundGuard;
  /** Deliveries in flight to one receiver at most (default DELIVERIES_PER_TARGET). */
  perTarget?: number;
  /** Deliveries waiting in this process for one of those places (default four times `perTarget`). */
  waitingPerTarget?: number;
}): WebhookSender {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  const perTarget = options.perTarget ?? DELIVERIES_PER_TARGET;
  const waitingPerTarget = options.waitingPerTarget ?? perTarget * 4;
  // A receiver gets its share of places and a short line behind them: a fast one drains its line
  // in milliseconds (a burst of 5,000 to one receiver flows through), while a slow one holds only
  // its share of the worker's places — what does not fit is put back for later, so deliveries to
  // other receivers are not stuck behind it.
  const targets = new Map<string, { busy: number; line: (() => void)[] }>();
  const take = async (origin: string): Promise<void> => {
    const target = targets.get(origin) ?? { busy: 0, line: [] };
    targets.set(origin, target);
    if (target.busy < perTarget) {
      target.busy++;
      return;
    }
    if (target.line.length >= waitingPerTarget) {
      throw new TargetBusyError(`${origin} already has ${target.busy} deliveries in flight and ${target.line.length} waiting`);
    }
    // The place is handed over by `release`, still counted as busy.
    await new Promise<void>((resolve) => target.line.push(resolve));
  };
  const release = (origin: string): void => {
    const target = targets.get(origin);
    if (!target) return;
    const next = target.line.shift();
    if (next) {
      next();
      return;
    }
    target.busy--;
    if (target.busy === 0) targets.delete(origin);
  };
  return {
    async post(url, body, secret) {
      const target = new URL(url);
      await take(target.origin);
      try {
        await send(target, body, secret);
      } finally {
        release(target.origin);
      }
    },
  };

  async function send(target: URL, body: string, secret: string): Promise<void> {
    const timestamp = String(Math.floor(options.now().getTime() / 1000));
    const signal = AbortSignal.timeout(options.timeoutMs);
    const addresses = await withDeadline(
      options.guard.resolve(target.hostname),
      options.timeoutMs,
      () => new Error(`${target.hostname} did not resolve within ${options.timeoutMs} ms`),
    );
    const transport = target.protocol === 'https:' ? https : http;
    const answer = await new Promise<{ status: number; statusText: string }>((resolve, reject) => {
      const request = transport.request(
        target,
        {
          method: 'POST',
          agent: agents[target.protocol === 'https:' ? 'https:' : 'http:'],
          lookup: pinnedLookup(addresses),
          signal,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Firebreak-Webhook/1',
            'x-firebreak-timestamp': timestamp,
            'x-firebreak-signature': signWebhook(secret, timestamp, body),
          },
        },
        (response) => {
          // Drain the body so the connection is reused.
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '' }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    if (answer.status < 200 || answer.status >= 300) {
      throw new Error(`the webhook answered ${answer.status} ${answer.statusText}`.trim());
    }
  }
}
