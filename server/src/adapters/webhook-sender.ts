import { createHmac } from 'node:crypto';

/**
 * Posts a webhook. The receiver checks `X-Firebreak-Signature: v1=<hex>` — HMAC-SHA256 with the
 * shared secret over `<timestamp>.<body>` — and refuses timestamps older than a few minutes, so
 * a captured request cannot be replayed later. Throws on anything but a 2xx, so the job retries.
 */
export interface WebhookSender {
  post(url: string, body: string, secret: string): Promise<void>;
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function httpWebhookSender(options: { timeoutMs: number; now: () => Date }): WebhookSender {
  return {
    async post(url, body, secret) {
      const timestamp = String(Math.floor(options.now().getTime() / 1000));
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Firebreak-Webhook/1',
          'x-firebreak-timestamp': timestamp,
          'x-firebreak-signature': signWebhook(secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'manual',
      });
      // Drain the body so the connection is reused.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status < 200 || response.status >= 300) {
        throw new Error(`the webhook answered ${response.status} ${response.statusText}`.trim());
      }
    },
  };
}
