import { IdParams, Items } from '../../../../core/contracts/common.js';
import { CreatedWebhook, CreateWebhook, Webhook } from '../../../../core/contracts/notifications.js';
import { createWebhook, listWebhooks, removeWebhook } from '../../services/webhooks.service.js';
import { presentWebhook } from '../presenters/webhooks.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

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
    async () => ({ items: (await listWebhooks(deps.db)).map(presentWebhook) }),
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
        response: { 201: CreatedWebhook, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const { webhook, secret } = await createWebhook(deps, request.body);
      return reply.status(201).send({ ...presentWebhook(webhook), secret });
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
    async (request) => presentWebhook(await removeWebhook(deps.db, request.params.id, deps.configCache)),
  );
}
