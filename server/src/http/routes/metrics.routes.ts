import type { Metrics } from '../plugins/metrics.js';
import type { Api } from '../route-types.js';

/**
 * Prometheus's scrape. Only the configured token opens it (access `metrics`): without
 * FIREBREAK_METRICS_TOKEN, or with a wrong token, the answer is the 404 of a path that does not exist.
 */
export function metricsRoutes(app: Api, metrics: Metrics): void {
  app.get('/metrics', { config: { access: 'metrics' }, schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.scrape();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
