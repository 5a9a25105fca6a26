import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { SingleSignOnFailure } from '../../../core/single-sign-on.js';
import type { Clock } from './clock.js';

/**
 * The identity provider, through panva's openid-client (certified, maintained, no install
 * scripts): discovery, the authorization URL with PKCE, the code exchange with every ID token
 * check (signature, issuer, audience, expiry, nonce, state), userinfo and RP-initiated sign-out.
 * Nothing here decides who may sign in; it only says what the provider vouched for.
 */
export interface OpenIdProvider {
  /** Where to send the browser. Throws ProviderFailure('provider_unreachable') when discovery fails. */
  authorizationUrl(request: { state: string; nonce: string; codeVerifier: string }): Promise<URL>;
  /** Exchanges the code in the callback URL and checks the ID token; the claims merge the ID token's and userinfo's. */
  finish(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<{ idToken: string; claims: Record<string, unknown> }>;
  /** The provider's end-session URL, when it advertises one (null otherwise, or when it cannot be reached). */
  endSessionUrl(idToken: string): Promise<URL | null>;
  /**
   * A back-channel logout token's claims once its signature (the provider's published keys), issuer,
   * audience (this client) and times were checked. Throws ProviderFailure('invalid_token') when any
   * check fails, 'provider_unreachable' when the keys cannot be fetched.
   */
  verifyLogoutToken(token: string): Promise<Record<string, unknown>>;
}

export class ProviderFailure extends Error {
  constructor(
    readonly reason: Extract<SingleSignOnFailure, 'provider_unreachable' | 'provider_refused' | 'invalid_token'>,
    override readonly cause: unknown,
  ) {
    super(reason);
  }
}

export interface OpenIdProviderSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
  signedOutUri: string;
  scopes: string;
  allowHttp: boolean;
  /** Wanted in the claims: fetched from userinfo when the ID token lacks them. */
  wantedClaims: string[];
}

/** A provider that does not answer within this many seconds is treated as down. */
const PROVIDER_TIMEOUT_SECONDS = 5;

/**
 * How long a successful discovery serves every sign-in of this process: a flood of starts makes
 * one request to the provider a minute, not one each, and a provider that went down shows as
 * down within this long (at once on a process that has not discovered it yet).
 */
export const DISCOVERY_CACHE_SECONDS = 60;

export function openIdProvider(settings: OpenIdProviderSettings, clock: Clock): OpenIdProvider {
  const discovery = cachedDiscovery(settings, clock);
  const logoutKeys = providerKeySet();
  // A fresh Configuration per step (no request: the metadata and keys are the cached ones), so
  // token times are judged by Firebreak's clock as it is now (a test's fake clock too), not the host's.
  const configuration = async (): Promise<{ config: oidc.Configuration; keep: () => void }> => {
    const found = await discovery.get();
    const skewSeconds = Math.round((clock.now().getTime() - Date.now()) / 1000);
    const config = new oidc.Configuration(
      found.metadata,
      settings.clientId,
      { [oidc.clockSkew]: skewSeconds },
      settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
    );
    config.timeout = PROVIDER_TIMEOUT_SECONDS;
    if (settings.allowHttp) oidc.allowInsecureRequests(config);
    if (found.jwks) oidc.setJwksCache(config, found.jwks);
    // The signing keys fetched (or refetched for a new key id) while checking a token are kept for the next sign-in.
    return { config, keep: () => discovery.keepKeys(found, oidc.getJwksCache(config)) };
  };

  return {
    async authorizationUrl({ state, nonce, codeVerifier }) {
      const { config } = await configuration();
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
    },

    async finish(callbackUrl, checks) {
      const { config, keep } = await configuration();
      try {
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!tokens.id_token || !idClaims) throw new ProviderFailure('invalid_token', new Error('no ID token'));
        let claims: Record<string, unknown> = { ...idClaims };
        // Many providers keep e-mail and groups out of the ID token and answer them at userinfo.
        if (settings.wantedClaims.some((name) => claims[name] === undefined) && config.serverMetadata().userinfo_endpoint) {
          const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
          claims = { ...claims, ...pick(userinfo, settings.wantedClaims) };
        }
        keep();
        return { idToken: tokens.id_token, claims };
      } catch (error) {
        const failure = asProviderFailure(error);
        // A token that fails its checks may mean the provider moved on (a new issuer, rotated
        // keys): the next sign-in discovers it afresh instead of trusting what this process holds.
        if (failure.reason !== 'provider_refused') discovery.forget();
        throw failure;
      }
    },

    async endSessionUrl(idToken) {
      let config: oidc.Configuration;
      try {
        ({ config } = await configuration());
      } catch {
        return null;
      }
      if (!config.serverMetadata().end_session_endpoint) return null;
      return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: settings.signedOutUri });
    },

    async verifyLogoutToken(token) {
      const { metadata } = await discovery.get();
      if (!metadata.jwks_uri) throw new ProviderFailure('invalid_token', new Error('the provider publishes no signing keys (jwks_uri)'));
      try {
        const { payload } = await jwtVerify(token, logoutKeys.for(metadata.jwks_uri), {
          issuer: metadata.issuer,
          audience: settings.clientId,
          currentDate: clock.now(),
          clockTolerance: 60,
          // Signed with the provider's published keys only: never `none`, never a shared secret.
          algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
        });
        return payload as Record<string, unknown>;
      } catch (error) {
        const network = error instanceof Error && /JWKSTimeout|fetch|ECONNREFUSED/i.test(`${error.name} ${error.message}`);
        throw new ProviderFailure(network ? 'provider_unreachable' : 'invalid_token', error);
      }
    },
  };
}

/**
 * The provider's signing keys for logout tokens, fetched from its jwks_uri by jose (cached, and
 * fetched again when a token names a key id it has not seen, as after a key rotation).
 */
function providerKeySet() {
  let current: { uri: string; keys: JWTVerifyGetKey } | null = null;
  return {
    for(uri: string): JWTVerifyGetKey {
      if (current?.uri !== uri) {
        current = { uri, keys: createRemoteJWKSet(new URL(uri), { timeoutDuration: PROVIDER_TIMEOUT_SECONDS * 1000 }) };
      }
      return current.keys;
    },
  };
}

interface Discovered {
  metadata: oidc.ServerMetadata;
  jwks: oidc.ExportedJWKSCache | undefined;
  at: number;
}

/**
 * The provider's discovery document, fetched once per DISCOVERY_CACHE_SECONDS for the whole
 * process (sign-ins arriving together share one request in flight). A failed discovery is not
 * kept: the next sign-in asks again, so a provider that comes back is seen at once.
 */
function cachedDiscovery(settings: OpenIdProviderSettings, clock: Clock) {
  let current: Discovered | null = null;
  let inFlight: Promise<Discovered> | null = null;
  const fetchNow = async (): Promise<Discovered> => {
    try {
      const discovered = await oidc.discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
        { timeout: PROVIDER_TIMEOUT_SECONDS, ...(settings.allowHttp ? { execute: [oidc.allowInsecureRequests] } : {}) },
      );
      return { metadata: discovered.serverMetadata(), jwks: undefined, at: clock.now().getTime() };
    } catch (error) {
      throw new ProviderFailure('provider_unreachable', error);
    }
  };
  return {
    async get(): Promise<Discovered> {
      if (current && clock.now().getTime() - current.at < DISCOVERY_CACHE_SECONDS * 1000) return current;
      inFlight ??= fetchNow().finally(() => {
        inFlight = null;
      });
      const found = await inFlight;
      current = found;
      return found;
    },
    keepKeys(from: Discovered, jwks: oidc.ExportedJWKSCache | undefined) {
      if (current === from && jwks) current.jwks = jwks;
    },
    forget() {
      current = null;
    },
  };
}

function pick(from: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((name) => from[name] !== undefined).map((name) => [name, from[name]]));
}

/** A network failure means the provider is down; an answer that says no is a refusal; anything else a token not to be trusted. */
function asProviderFailure(error: unknown): ProviderFailure {
  if (error instanceof ProviderFailure) return error;
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return new ProviderFailure('provider_refused', error);
  }
  const cause = error instanceof oidc.ClientError ? error.cause : undefined;
  const network = [error, cause].some(
    (e) =>
      e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError' || (e instanceof TypeError && /fetch/i.test(e.message))),
  );
  return new ProviderFailure(network ? 'provider_unreachable' : 'invalid_token', error);
}
