import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../../core/errors.js';
import { hostNameOf } from '../../../../core/host-name.js';

/**
 * Answered whatever the Host: load balancers, probes and Prometheus ask by address, and they tell
 * nothing (/metrics opens only to its token, which a rebinding page does not have).
 */
export const ANY_HOST_PATHS = new Set(['/api/v1/health', '/api/v1/ready', '/metrics']);

/**
 * DNS rebinding: a page on an attacker's name that resolves to this server must get nothing
 * back. Requests naming a Host outside the allow-list get 400 naming Host (null: any name).
 */
export function registerHostAllowList(app: FastifyInstance, allowedHosts: string[] | null): void {
  if (allowedHosts === null) return;
  const allowed = new Set(allowedHosts);
  // Whether a Host header value names an allowed host, remembered per value: a crowd on the status
  // page sends one or two values, and this hook runs for every request. Bounded, so names sent on
  // purpose cannot grow it.
  const allowedByHeader = new Map<string, boolean>();
  const isAllowed = (host: string) => {
    let yes = allowedByHeader.get(host);
    if (yes === undefined) {
      yes = allowed.has(hostNameOf(host));
      if (allowedByHeader.size < 64) allowedByHeader.set(host, yes);
    }
    return yes;
  };
  app.addHook('onRequest', (request, _reply, done) => {
    const host = request.host ?? '';
    if (isAllowed(host) || ANY_HOST_PATHS.has(request.url.split('?')[0])) return done();
    const name = hostNameOf(host);
    done(
      new AppError('validation_failed', `Host: this server does not answer to the name "${name.slice(0, 100)}"`, {
        errors: [{ field: 'Host', message: 'is not a name this server answers to (FIREBREAK_ALLOWED_HOSTS)' }],
      }),
    );
  });
}

/** Not personal: the rest of /api/v1 may not be kept by browsers or proxies. */
const CACHEABLE_PREFIXES = ['/api/v1/health', '/api/v1/openapi.json', '/api/v1/docs'];

/**
 * API answers carry personal data (tickets, names, notes): `Cache-Control: no-store` on every
 * /api/v1 response except health, the OpenAPI document and the docs' static files, unless the
 * route chose its own (a calendar feed's `private, max-age=300`, a file download's).
 */
export function registerNoStore(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    const url = request.url;
    if (url.startsWith('/api/v1/') && !CACHEABLE_PREFIXES.some((prefix) => url.startsWith(prefix)) && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
