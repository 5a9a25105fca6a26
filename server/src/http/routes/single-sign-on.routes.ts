import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SignInOptions, StartSingleSignOn } from '../../../../core/contracts/auth.js';
import { AppError } from '../../../../core/errors.js';
import type { SingleSignOnConfig } from '../../config.js';
import {
  endSessionsSignedOutAtProvider,
  finishSingleSignOn,
  type SingleSignOnDeps,
  startSingleSignOn,
} from '../../services/single-sign-on.service.js';
import { SESSION_COOKIE } from '../plugins/authentication.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/** The cookie carrying a sign-in in flight: only ever sent to the callback (and set by start). */
export const SSO_STATE_COOKIE = 'firebreak_sso';
const SSO_PATH = '/api/v1/auth/sso';
const START_URL = `${SSO_PATH}/start`;
/** A redirect's body is empty: where it goes is in Location. */
const Redirect = z.null();
/** Where the identity provider posts logout tokens (register it as the client's back-channel logout URI). */
export const BACKCHANNEL_LOGOUT_PATH = `${SSO_PATH}/backchannel-logout`;
const LogoutTokenForm = z.object({
  logout_token: z.string().min(1, 'is required: the logout token the identity provider signed').max(16_384),
});

/**
 * OpenID Connect sign-in. Start and callback are browser navigations, so a failure there is
 * answered as the sign-in page with the reason (`/sign-in?sso_error=…`) to a browser, and as
 * problem+json to anything that does not ask for HTML.
 */
export async function singleSignOnRoutes(
  app: Api,
  deps: RouteDeps,
  options: { sso: (SingleSignOnDeps & { config: SingleSignOnConfig }) | null; localPasswords: boolean },
): Promise<void> {
  const { sso } = options;

  app.get(
    '/api/v1/auth/options',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'How people sign in here: single sign-on and/or passwords', response: { 200: SignInOptions } },
    },
    async () => ({
      singleSignOn: sso ? { name: sso.config.name, startUrl: START_URL } : null,
      localPasswords: options.localPasswords,
    }),
  );

  app.get(
    START_URL,
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Start single sign-on: redirects the browser to the identity provider (authorization code + PKCE)',
        querystring: StartSingleSignOn,
        response: { 302: Redirect.describe('to the identity provider'), ...problems(400, 404, 503) },
      },
    },
    async (request, reply) => {
      if (!sso) throw notConfigured();
      try {
        const started = await startSingleSignOn(sso, request.query.returnTo ?? '/');
        reply.setCookie(SSO_STATE_COOKIE, started.stateCookie, {
          path: SSO_PATH,
          httpOnly: true,
          // Lax: the provider sends the browser back with a top-level GET, which carries it.
          sameSite: 'lax',
          secure: deps.secureCookies,
          expires: started.expiresAt,
        });
        return reply.redirect(started.authorizationUrl, 302);
      } catch (error) {
        return answerFailure(request, reply, error);
      }
    },
  );

  app.get(
    `${SSO_PATH}/callback`,
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary:
          'Where the identity provider sends the browser back: checks state, nonce, PKCE and the ID token, then signs in (sets the session cookie)',
        response: { 303: Redirect.describe('signed in: to the page the sign-in started from'), ...problems(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      if (!sso) throw notConfigured();
      // The state cookie is single-use: gone whatever the outcome.
      reply.clearCookie(SSO_STATE_COOKIE, { path: SSO_PATH });
      try {
        const result = await finishSingleSignOn(sso, {
          callbackUrl: callbackUrlOf(sso.config.redirectUri, request.url),
          stateCookie: request.cookies[SSO_STATE_COOKIE],
        });
        if (result.created) request.log.info({ userId: result.user.id, role: result.user.role }, 'single sign-on created a person');
        if (result.roleChange) {
          request.log.info(
            { userId: result.user.id, from: result.roleChange.from, to: result.roleChange.to },
            'single sign-on changed a role: the identity provider’s role claim differs from the stored role',
          );
        }
        reply.setCookie(SESSION_COOKIE, result.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.secureCookies,
          expires: result.expiresAt,
        });
        return reply.redirect(result.returnTo, 303);
      } catch (error) {
        return answerFailure(request, reply, error);
      }
    },
  );

  await app.register(async (scoped) => {
    // OpenID Connect Back-Channel Logout 1.0: the provider posts the token as a form. Only this route reads forms.
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32_768 }, (_request, body, done) => {
      done(null, { logout_token: new URLSearchParams(String(body)).get('logout_token') ?? '' });
    });
    scoped.withTypeProvider<ZodTypeProvider>().post(
      BACKCHANNEL_LOGOUT_PATH,
      {
        // The caller is the identity provider, server to server: the token's signature is its credential.
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Back-channel logout: the identity provider ends single sign-on sessions (a signed logout token, as a form)',
          description:
            'OpenID Connect Back-Channel Logout 1.0. Checks the token (signature by the provider’s published keys, issuer, audience, the logout event, no nonce, issued within two minutes) and ends the sessions it names: one provider session (`sid`), or every single sign-on session of the person (`sub`). Answers 200 also when nobody here had a session.',
          body: LogoutTokenForm,
          security: [],
          response: { 200: z.object({}).describe('the sessions named (if any) have ended'), ...problems(400, 404, 415, 503) },
        },
      },
      async (request, reply) => {
        if (!sso) throw notConfigured();
        let ended: Awaited<ReturnType<typeof endSessionsSignedOutAtProvider>>;
        try {
          ended = await endSessionsSignedOutAtProvider(sso, request.body.logout_token);
        } catch (error) {
          // A refused logout leaves a session the person believes ended: tell the operator why.
          if (error instanceof AppError) {
            const cause = (error as Error).cause;
            request.log.warn({ reason: error.message, ...(cause ? { cause: String(cause) } : {}) }, 'back-channel logout refused');
          }
          throw error;
        }
        if (ended.sessionsOfPeople > 0)
          request.log.info({ people: ended.sessionsOfPeople }, 'back-channel logout ended single sign-on sessions');
        // The specification asks that the answer not be cached.
        return reply.header('cache-control', 'no-store').send({});
      },
    );
  });
}

/**
 * The callback as the provider addressed it: the registered redirect URI with this request's query.
 * (openid-client sends the URL's origin and path as `redirect_uri` to the token endpoint, and it
 * must equal the registered one, whatever Host a proxy in front of Firebreak passed on.)
 */
function callbackUrlOf(redirectUri: string, requestUrl: string): URL {
  const url = new URL(redirectUri);
  url.search = new URL(requestUrl, 'http://callback.invalid').search;
  return url;
}

function notConfigured(): AppError {
  return new AppError('not_found', 'Single sign-on is not configured on this server (FIREBREAK_OIDC_ISSUER).');
}

function answerFailure(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const reason = error instanceof AppError ? error.extra.singleSignOnFailure : undefined;
  if (typeof reason !== 'string') throw error;
  // Why, for the operator: the library's error, its code and the ID token claim it refused (aud, exp …).
  // (openid-client's ClientError wraps oauth4webapi's error, whose own cause names the claim.)
  type Cause = Error & { code?: string; cause?: unknown };
  const cause = (error as Error).cause as Cause | undefined;
  const inner = cause?.cause instanceof Error ? (cause.cause as Cause) : undefined;
  const claim = (inner?.cause as { claim?: unknown } | undefined)?.claim;
  request.log.warn(
    { reason, ...(cause ? { cause: String(inner ?? cause), code: cause.code, ...(typeof claim === 'string' ? { claim } : {}) } : {}) },
    'single sign-on failed',
  );
  if (!(request.headers.accept ?? '').includes('text/html')) throw error;
  return reply.redirect(`/sign-in?sso_error=${encodeURIComponent(reason)}`, 303);
}
