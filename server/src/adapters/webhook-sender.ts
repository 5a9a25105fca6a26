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

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Through the outbound guard: resolved once, every address checked, the connection pinned to
 * them (see outbound-guard.ts). Connections are kept alive and reused: each was opened to an
 * address checked at the time. Redirects are not followed.
 */
export function httpWebhookSender(options: { timeoutMs: number; now: () => Date; guard: OutboundGuard }): WebhookSender {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  return {
    async post(url, body, secret) {
      const target = new URL(url);
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
    },
  };
}
