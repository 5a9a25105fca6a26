import { ListRefusedDeliveriesQuery, RefusedAlertDelivery } from '../../../../core/contracts/alerts.js';
import { Page } from '../../../../core/contracts/common.js';
import { searchRefusedDeliveries } from '../../services/refused-alerts.service.js';
import { presentRefusedDelivery } from '../presenters/refused-alerts.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

export function refusedAlertRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/refused-alert-deliveries',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Alert deliveries refused with a valid integration token, newest first (admins)',
        description:
          "Why a monitoring tool's alerts are not arriving: each refusal (400 malformed JSON, wrong source or invalid payload; 413 too large; 415 not JSON) with the reason the sender was given and the first 4 KiB of the body, tokens and routing keys redacted. The newest 1,000 per integration are kept. Requests without a valid token (401) are not kept, only counted in the server log. bodyExcerpt is the sender's text: show it as text, never as HTML.",
        querystring: ListRefusedDeliveriesQuery,
        response: { 200: Page(RefusedAlertDelivery), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await searchRefusedDeliveries(deps.db, request.query);
      return { items: page.items.map(presentRefusedDelivery), nextCursor: page.nextCursor };
    },
  );
}
