import { bigserial, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './directory.js';

/** Server-side sessions. The cookie holds a random secret; we store only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /**
     * A single sign-on session: the provider's ID token, sent back as `id_token_hint` when the
     * person signs out so the provider ends its session too. Null for a password sign-in.
     */
    oidcIdToken: text('oidc_id_token'),
    /**
     * The provider's session (`sid` of the ID token), when it names one: a back-channel logout for
     * that provider session ends exactly this Firebreak session. Null for a password sign-in.
     */
    oidcSessionId: text('oidc_session_id'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_oidc_session_idx').on(t.oidcSessionId)],
);

/**
 * Who a person is at an OpenID provider: the issuer and its stable subject (`sub`). A person is
 * found by this first and by e-mail address only at their first single sign-on, so a changed
 * address at the provider still signs in the same person.
 */
export const signInIdentities = pgTable(
  'sign_in_identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), index('sign_in_identities_user_idx').on(t.userId)],
);

/** API tokens for integrations: shown once, stored as SHA-256, revocable. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull().unique(),
    /** First characters of the secret, so people can tell tokens apart in lists. */
    prefix: text('prefix').notNull(),
    /** read: GET only; write: whatever the user's role allows. */
    scope: text('scope', { enum: ['read', 'write'] })
      .notNull()
      .default('write'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/** Failed sign-ins, kept in the database so the limit holds across server processes. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sign_in_failures_email_at_idx').on(t.email, t.at), index('sign_in_failures_ip_at_idx').on(t.ip, t.at)],
);
