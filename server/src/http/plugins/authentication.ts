import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../../core/errors.js';
import type { Actor } from '../../../../core/permissions.js';
import { hasRoleAtLeast, type Role } from '../../../../core/vocabulary.js';
import type { IntegrationRow } from '../../repositories/integrations.repository.js';
import { type Authentication, authenticateSession, authenticateToken } from '../../services/auth.service.js';
import type { ServiceDeps } from '../../services/deps.js';
import type { IntegrationAuthenticator } from '../../services/integration-authenticator.js';
import { metricsTokenMatches } from './metrics.js';

export const SESSION_COOKIE = 'firebreak_session';

/**
 * Who may call an endpoint, declared on every route as `config.access`:
 * - public: anyone, signed in or not
 * - signed_in: any active user (requesters included; services check record-level rights)
 * - agent / manager / admin: that role or above
 * - integration: only a monitoring integration's own token (no person, session or API token);
 *   routes with `tokenInBody` may take it from the body instead (PagerDuty's routing_key)
 * - metrics: only `Authorization: Bearer <FIREBREAK_METRICS_TOKEN>`; anyone else (and everyone,
 *   when no token is set) gets the same 404 as a path that does not exist
 */
export type Access = 'public' | 'signed_in' | Role | 'integration' | 'metrics';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** For integration routes: the token may come in the body (checked by the route), not only the header. */
    tokenInBody?: boolean;
    /** Reachable with a session whose password must be changed first (after an admin's reset). */
    allowedBeforePasswordChange?: boolean;
  }
  interface FastifyRequest {
    authentication: Authentication | null;
    /** The monitoring integration whose token authenticated this request (integration routes only). */
    integration: IntegrationRow | null;
  }
  interface FastifyInstance {
    /** Every route with who may call it: the permission test walks this list. */
    routeAccess: { method: string; url: string; access: Access }[];
  }
}

export function actorOf(request: FastifyRequest): Actor {
  const auth = request.authentication;
  if (!auth) throw new AppError('unauthenticated', 'Sign in first.');
  return { id: auth.user.id, role: auth.user.role };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAuthentication(
  app: FastifyInstance,
  deps: ServiceDeps & { integrationAuthenticator: Pick<IntegrationAuthenticator, 'authenticate'>; metricsToken?: string | null },
): void {
  app.decorateRequest('authentication', null);
  app.decorateRequest('integration', null);
  const routeAccess: FastifyInstance['routeAccess'] = [];
  app.decorate('routeAccess', routeAccess);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/v1/docs')) return; // the docs UI's static files are public
    // A route that forgets to say who may call it is a bug: refuse to start.
    if (!route.config?.access) throw new Error(`route ${route.method} ${route.url} does not declare config.access`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeAccess.push({ method, url: route.url, access: route.config.access });
    }
  });

  // onRequest, before the body is read: who may call a route is decided before anything about
  // the request is looked at, so a caller without the right gets 401/403, never a 400 that
  // describes the body, and the server parses no body for them.
  app.addHook('onRequest', (request, _reply, done) => {
    // A public route read without credentials (the status page's crowd): nobody to look up and
    // nothing to refuse, so no promise either.
    if (
      (request.routeOptions.config.access ?? 'public') === 'public' &&
      SAFE_METHODS.has(request.method) &&
      !request.headers.authorization &&
      !request.cookies[SESSION_COOKIE]
    ) {
      return done();
    }
    checkAccess(request, deps).then(() => done(), done);
  });
}

async function checkAccess(
  request: FastifyRequest,
  deps: ServiceDeps & { integrationAuthenticator: Pick<IntegrationAuthenticator, 'authenticate'>; metricsToken?: string | null },
): Promise<void> {
  const access = request.routeOptions.config.access ?? 'public';
  if (access === 'metrics') {
    // Not a person's credential: the scrape token alone. A wrong one learns nothing, not even that the path exists.
    if (metricsTokenMatches(deps.metricsToken ?? null, request.headers.authorization)) return;
    throw new AppError(
      'not_found',
      `There is no ${request.method} ${request.url.split('?')[0]} here. The API is described at /api/v1/docs.`,
    );
  }
  if (access === 'integration') {
    // A person's session or API token never works here: only the integration's own token.
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    request.integration = match ? await deps.integrationAuthenticator.authenticate(match[1]) : null;
    if (request.integration || (!request.headers.authorization && request.routeOptions.config.tokenInBody)) return;
    throw new AppError(
      'unauthenticated',
      request.headers.authorization
        ? 'The integration token is not valid: it may be mistyped or revoked (an API token or session does not work here).'
        : 'Send the integration token as "Authorization: Bearer <token>".',
    );
  }
  request.authentication = await authenticate(request, deps);
  // Browsers say where a request comes from: refuse writes from other sites, whether they
  // carry a session cookie or try to sign someone in or out.
  if (request.authentication?.via !== 'token' && !SAFE_METHODS.has(request.method)) refuseCrossSite(request);
  if (access === 'public') return;
  const auth = request.authentication;
  if (!auth) {
    throw new AppError(
      'unauthenticated',
      'Sign in first, or send an API token as "Authorization: Bearer <token>". Your session may have expired.',
    );
  }
  if (auth.via === 'session' && auth.user.mustChangePassword && !request.routeOptions.config.allowedBeforePasswordChange) {
    throw new AppError('forbidden', 'Choose a new password first: you signed in with a temporary password from an admin.', {
      extra: { mustChangePassword: true },
    });
  }
  if (auth.via === 'token' && auth.token.scope === 'read' && !SAFE_METHODS.has(request.method)) {
    throw new AppError('forbidden', 'This API token is read-only; create a token with scope "write" to make changes.');
  }
  if (access !== 'signed_in' && !hasRoleAtLeast(auth.user.role, access)) {
    throw new AppError('forbidden', `This needs the ${access} role or above; you are signed in as a ${auth.user.role}.`);
  }
}

async function authenticate(request: FastifyRequest, deps: ServiceDeps): Promise<Authentication | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const auth = match ? await authenticateToken(deps, match[1]) : null;
    if (!auth) {
      throw new AppError('unauthenticated', 'The API token is not valid: it may be mistyped, revoked or expired.');
    }
    return auth;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? authenticateSession(deps, cookie) : null;
}

/**
 * CSRF defence for cookie sessions, on top of SameSite=Lax cookies and JSON-only bodies:
 * a browser tells us where a request comes from, and we refuse writes from other sites.
 */
function refuseCrossSite(request: FastifyRequest): void {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw new AppError('forbidden', 'Cross-site requests cannot change data with a session cookie.');
  }
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    const host = request.headers.host;
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (!host || originHost !== host) {
      throw new AppError('forbidden', 'Cross-site requests cannot change data with a session cookie.');
    }
  } else if (origin === 'null') {
    throw new AppError('forbidden', 'Cross-site requests cannot change data with a session cookie.');
  }
}
