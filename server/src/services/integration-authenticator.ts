import { sha256 } from '../adapters/secrets.js';
import { findLiveIntegrationByTokenHash, type IntegrationRow } from '../repositories/integrations.repository.js';
import type { ServiceDeps } from './deps.js';

export interface IntegrationAuthenticatorOptions {
  /** How long a recognised token is answered from memory. */
  rememberMs: number;
  /** Tokens remembered at most (the oldest is forgotten first). */
  maxTokens: number;
}

/**
 * Recognises integration tokens without a database read on every alert request: a token
 * recognised in the last few seconds is answered from memory. This answer only lets a request
 * in; the group commit reads the integration again in the transaction that commits the alerts
 * and refuses a delivery whose token was revoked or replaced by then (alert-group-commit.ts), so
 * revoking still takes effect at once. Unknown tokens are never remembered: each costs a read.
 */
export function createIntegrationAuthenticator(
  deps: ServiceDeps,
  options: IntegrationAuthenticatorOptions = { rememberMs: 5_000, maxTokens: 1_000 },
) {
  const remembered = new Map<string, { integration: IntegrationRow; until: number }>();
  return {
    async authenticate(token: string): Promise<IntegrationRow | null> {
      if (token.length < 10 || token.length > 200) return null;
      const hash = sha256(token);
      const now = deps.clock.now().getTime();
      const known = remembered.get(hash);
      if (known && known.until > now) return known.integration;
      remembered.delete(hash);
      const integration = (await findLiveIntegrationByTokenHash(deps.db, hash)) ?? null;
      if (integration) {
        if (remembered.size >= options.maxTokens) remembered.delete(remembered.keys().next().value as string);
        remembered.set(hash, { integration, until: now + options.rememberMs });
      }
      return integration;
    },
  };
}

export type IntegrationAuthenticator = ReturnType<typeof createIntegrationAuthenticator>;
