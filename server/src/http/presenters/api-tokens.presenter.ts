import type { z } from 'zod';
import type { ApiToken, CreatedApiToken } from '../../../../core/contracts/auth.js';
import type { ApiTokenRow } from '../../repositories/auth.repository.js';

/** Never includes the secret or its hash; the secret is shown once, on creation. */
export function presentApiToken(t: ApiTokenRow): z.input<typeof ApiToken> {
  return {
    id: t.id,
    name: t.name,
    userId: t.userId,
    prefix: t.prefix,
    scope: t.scope,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}

/** Right after creation: the only answer that carries the secret. */
export function presentCreatedApiToken(t: ApiTokenRow, secret: string): z.input<typeof CreatedApiToken> {
  return { ...presentApiToken(t), token: secret };
}
