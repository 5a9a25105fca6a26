import type { FastifyRequest } from 'fastify';

/**
 * Query parameters that carry a credential: the calendar feed's `token` and the page
 * acknowledge link's `token` today; the others are refused before anyone thinks of them.
 */
const SECRET_QUERY_PARAMETERS = /^(token|access_token|secret|key|api_key|password|signature|sig|code)$/i;

/** The URL with the value of every secret query parameter replaced, for logs. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const parts = url
    .slice(at + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const rawName = eq === -1 ? part : part.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replaceAll('+', ' '));
      } catch {
        // A name that is not valid percent-encoding is logged as it came; its value still is judged by it.
      }
      return eq !== -1 && SECRET_QUERY_PARAMETERS.test(name) ? `${rawName}=[redacted]` : part;
    });
  return `${url.slice(0, at)}?${parts.join('&')}`;
}

/** Fastify's request serializer, with secrets in the query string redacted. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
