import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Keep the JSON body's text as received on `request.rawBody` (alert intake shows refused bodies to admins). */
    keepRawBody?: boolean;
  }
  interface FastifyRequest {
    /** The JSON body as received, on routes with `config.keepRawBody`; null elsewhere or when it was never read. */
    rawBody: string | null;
  }
}

/**
 * Fastify's own JSON parser (same limits, same prototype-poisoning refusal), which also keeps
 * the text on routes that ask: a body that is not valid JSON has nothing else to show.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.decorateRequest('rawBody', null);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (request.routeOptions.config.keepRawBody) request.rawBody = body as string;
    parseJson(request, body as string, done);
  });
}
