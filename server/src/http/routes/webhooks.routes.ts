import { z } from 'zod';
import { IdParams, Items } from '../../../../core/contracts/common.js';
import { TIMELINE_EVENT_TYPES } from '../../../../core/vocabulary.js';
import type { WebhookRow } from '../../repositories/webhooks.repository.js';
import { createWebhook, listWebhooks, removeWebhook } from '../../services/webhooks.service.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

const Webhook = z.object({
  id: z.uuid(),
  name: z.string(),
  url: z.string(),
  format: z.enum(['json', 'slack']),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});
const CreateWebhook = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }).max(2000),
  format: z.enum(['json', 'slack']).default('json'),
  /** Which timeline events to send; empty (the default) sends everything but work notes. */
  eventTypes: z.array(z.enum(TIMELINE_EVENT_TYPES)).default([]),
  secret: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
});

/** Never includes the secret. */
const present = (w: WebhookRow) => ({
  id: w.id,
  name: w.name,
  url: w.url,
  format: w.format,
  eventTypes: w.eventTypes,
  active: w.active,
  createdAt: w.createdAt.toISOString(),
});

export function webhookRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/webhooks',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['notifications'],
        summary: 'Outgoing webhooks',
        response: { 200: Items(Webhook), ...problems(401, 403) },
      },
    },
    async () => ({ items: (await listWebhooks(deps.db)).map(present) }),
  );
  app.post(
    '/api/v1/webhooks',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['notifications'],
        summary: 'Add a webhook; its signing secret is in this response only',
        description:
          'Each ticket event is POSTed as JSON with headers X-Firebreak-Timestamp (unix seconds) and X-Firebreak-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body)). Reject old timestamps to prevent replay. format "slack" posts { text } for Slack-compatible chat tools, with what people typed escaped. A URL whose host is, or resolves to, an address on this machine or a private network is refused (422) unless FIREBREAK_ALLOW_PRIVATE_TARGETS allows it.',
        body: CreateWebhook,
        response: { 201: Webhook.extend({ secret: z.string() }), ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const { webhook, secret } = await createWebhook(deps, request.body);
      return reply.status(201).send({ ...present(webhook), secret });
    },
  );
  app.delete(
    '/api/v1/webhooks/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['notifications'],
        summary: 'Stop a webhook (it stays in delivery logs)',
        params: IdParams,
        response: { 200: Webhook, ...problems(401, 403, 404) },
      },
    },
    async (request) => present(await removeWebhook(deps.db, request.params.id)),
  );
}
