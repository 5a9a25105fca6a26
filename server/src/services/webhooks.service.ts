import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { newSecret } from '../adapters/secrets.js';
import type { Db } from '../db/client.js';
import { deactivateWebhook, insertWebhook, listWebhooks, type WebhookRow } from '../repositories/webhooks.repository.js';
import { type ConfigCache, changingConfig } from './config-cache.js';
import type { OutboundTargets, ServiceDeps } from './deps.js';

export interface WebhookInput {
  name: string;
  url: string;
  format: 'json' | 'slack';
  eventTypes: string[];
  /** Bring your own secret (e.g. one the receiver already has), or let Firebreak make one. */
  secret?: string;
}

/**
 * Only http(s) URLs, and none on a private network unless allowed (checked again at every
 * delivery, since DNS can change); the secret is returned this once.
 */
export async function createWebhook(
  deps: ServiceDeps & { outbound: OutboundTargets },
  input: WebhookInput,
): Promise<{ webhook: WebhookRow; secret: string }> {
  const url = new URL(input.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('validation_failed', 'url: must be an http:// or https:// address', {
      errors: [{ field: 'url', message: 'must be an http:// or https:// address' }],
    });
  }
  const refusal = await deps.outbound.refusalFor(url.hostname);
  if (refusal) throw fieldError('unprocessable', 'url', refusal);
  const secret = input.secret ?? newSecret('fbw');
  const webhook = await changingConfig(deps.configCache, 'webhook_subscriptions', () =>
    insertWebhook(deps.db, {
      name: input.name,
      url: url.toString(),
      secret,
      format: input.format,
      eventTypes: input.eventTypes,
      createdAt: deps.clock.now(),
    }),
  );
  return { webhook, secret };
}

export { listWebhooks };

export async function removeWebhook(db: Db, id: string, cache?: ConfigCache): Promise<WebhookRow> {
  const row = await changingConfig(cache, 'webhook_subscriptions', () => deactivateWebhook(db, id));
  if (!row) throw notFound('webhook');
  return row;
}
