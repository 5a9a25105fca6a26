import type { z } from 'zod';
import type { Webhook } from '../../../../core/contracts/notifications.js';
import type { WebhookRow } from '../../repositories/webhooks.repository.js';

/** Never includes the secret. */
export function presentWebhook(w: WebhookRow): z.input<typeof Webhook> {
  return {
    id: w.id,
    name: w.name,
    url: w.url,
    format: w.format,
    eventTypes: w.eventTypes,
    active: w.active,
    createdAt: w.createdAt.toISOString(),
  };
}
