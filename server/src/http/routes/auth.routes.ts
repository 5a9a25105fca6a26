import {
  ApiToken,
  ChangePassword,
  CreateApiToken,
  CreatedApiToken,
  Me,
  PasswordChanged,
  SignedOut,
  SignIn,
  UpdateMe,
} from '../../../../core/contracts/auth.js';
import { IdParams, Items, NoContent } from '../../../../core/contracts/common.js';
import type { OpenIdProvider } from '../../adapters/openid-provider.js';
import { createApiToken, listTokens, type PasswordPolicy, revokeToken, signIn, signOut } from '../../services/auth.service.js';
import { updateUserById } from '../../services/directory.service.js';
import { changeOwnPassword } from '../../services/passwords.service.js';
import { actorOf, SESSION_COOKIE } from '../plugins/authentication.js';
import { presentApiToken, presentCreatedApiToken } from '../presenters/api-tokens.presenter.js';
import { presentMe } from '../presenters/me.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

export function authRoutes(
  app: Api,
  deps: RouteDeps,
  options: { passwordPolicy?: PasswordPolicy; provider?: OpenIdProvider | null } = {},
): void {
  app.post(
    '/api/v1/auth/sign-in',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password; sets an httpOnly session cookie',
        body: SignIn,
        response: { 200: Me, ...problems(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { user, sessionToken, expiresAt } = await signIn(
        { ...deps, ...(options.passwordPolicy ? { passwordPolicy: options.passwordPolicy } : {}) },
        { ...request.body, ip: request.ip },
      );
      reply.setCookie(SESSION_COOKIE, sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secureCookies,
        expires: expiresAt,
      });
      return presentMe(user, deps.localPasswords);
    },
  );

  app.post(
    '/api/v1/auth/sign-out',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary:
          'End this session. A single sign-on session answers 200 with the identity provider’s sign-out address when it advertises one (send the browser there); otherwise 204',
        response: { 200: SignedOut, 204: NoContent },
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      const ended = cookie ? await signOut(deps, cookie) : { oidcIdToken: null };
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      const providerSignOut = ended.oidcIdToken && options.provider ? await options.provider.endSessionUrl(ended.oidcIdToken) : null;
      if (providerSignOut) return { providerSignOutUrl: providerSignOut.href };
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { access: 'signed_in', allowedBeforePasswordChange: true },
      schema: { tags: ['auth'], summary: 'Who am I?', response: { 200: Me, ...problems(401) } },
    },
    async (request) => presentMe(request.authentication!.user, deps.localPasswords),
  );

  app.patch(
    '/api/v1/me',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['auth'],
        summary: 'Change your own name, time zone or notification preferences (e-mail and in-app per group of reasons)',
        body: UpdateMe,
        response: { 200: Me, ...problems(400, 401) },
      },
    },
    async (request) => presentMe(await updateUserById(deps, actorOf(request).id, actorOf(request).id, request.body), deps.localPasswords),
  );

  app.post(
    '/api/v1/me/password',
    {
      config: { access: 'signed_in', allowedBeforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary:
          'Change your own password (the current one proves it is you): your other sessions end, and your API tokens are revoked unless revokeApiTokens is false',
        body: ChangePassword,
        response: { 200: PasswordChanged, ...problems(400, 401, 409, 429) },
      },
    },
    async (request) => {
      const auth = request.authentication!;
      return changeOwnPassword(
        deps,
        { user: auth.user, sessionToken: auth.via === 'session' ? (request.cookies[SESSION_COOKIE] ?? null) : null, ip: request.ip },
        request.body,
      );
    },
  );

  app.get(
    '/api/v1/api-tokens',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['auth'],
        summary: 'API tokens: your own, or every token for admins',
        response: { 200: Items(ApiToken), ...problems(401, 403) },
      },
    },
    async (request) => ({ items: (await listTokens(deps.db, actorOf(request))).map(presentApiToken) }),
  );

  app.post(
    '/api/v1/api-tokens',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['auth'],
        summary: 'Create an API token; the secret is in this response only',
        body: CreateApiToken,
        response: { 201: CreatedApiToken, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const { token, secret } = await createApiToken(deps, actorOf(request), request.body);
      return reply.status(201).send(presentCreatedApiToken(token, secret));
    },
  );

  app.delete(
    '/api/v1/api-tokens/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token (at once, for good)',
        params: IdParams,
        response: { 200: ApiToken, ...problems(401, 403, 404) },
      },
    },
    async (request) => presentApiToken(await revokeToken(deps, actorOf(request), request.params.id)),
  );
}
