import { z } from 'zod';
import { NOTIFICATION_CHANNELS, NOTIFICATION_GROUP_NAMES } from '../notification-rules.js';
import { ROLES } from '../vocabulary.js';
import { Id, Timestamp } from './common.js';
import { Password } from './directory.js';

export const SignIn = z.strictObject({
  email: z.string().trim().min(1, 'enter your e-mail address').max(320),
  password: z.string().min(1, 'enter your password').max(200),
});

/**
 * Per group of reasons (my_requests, ticket_work, sla, paging), which channels to use: e-mail
 * and/or in-app. Left out means on. E-mail also needs `emailNotifications` (the master switch).
 */
export const NotificationPreferences = z.strictObject(
  Object.fromEntries(
    NOTIFICATION_GROUP_NAMES.map((group) => [
      group,
      z.strictObject(Object.fromEntries(NOTIFICATION_CHANNELS.map((channel) => [channel, z.boolean().optional()]))).optional(),
    ]),
  ) as Record<
    (typeof NOTIFICATION_GROUP_NAMES)[number],
    z.ZodOptional<z.ZodObject<Record<(typeof NOTIFICATION_CHANNELS)[number], z.ZodOptional<z.ZodBoolean>>>>
  >,
);

export const Me = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  timeZone: z.string(),
  emailNotifications: z.boolean(),
  notificationPreferences: NotificationPreferences,
  /** An admin reset the password to a temporary one: choose a new one before anything else. */
  mustChangePassword: z.boolean(),
  /** Whether they have a password here (people made through single sign-on have none). */
  hasPassword: z.boolean(),
  /**
   * Whether passwords are on for everyone; when off, the break-glass admin's address (shown to
   * admins only, null for everyone else), for Admin › People to offer a password to them alone.
   */
  localPasswords: z.object({ enabled: z.boolean(), breakGlassEmail: z.string().nullable() }),
});

/** What people may change about themselves. */
export const UpdateMe = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  timeZone: z
    .string()
    .max(100)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Berlin')
    .optional(),
  /** E-mail me about my tickets: replies, resolutions, assignments, SLA warnings. */
  emailNotifications: z.boolean().optional(),
  /** Channels per group of reasons; merged into the current choices. */
  notificationPreferences: NotificationPreferences.optional(),
});

/** Changing your own password: the current one proves it is you. */
export const ChangePassword = z.strictObject({
  currentPassword: z.string().min(1, 'enter your current password').max(200),
  newPassword: Password,
  /** Revoke your API tokens too (default yes): whoever knew the old password may have made one. */
  revokeApiTokens: z.boolean().default(true),
});
export const PasswordChanged = z.object({ revokedApiTokens: z.number().int() });

/** An admin resets someone's password to a temporary one they must change at their next sign-in. */
export const ResetPassword = z.strictObject({
  /** Revoke their API tokens too (default yes). */
  revokeApiTokens: z.boolean().default(true),
});
export const PasswordReset = z.object({
  /** Shown this once, for the admin to pass on; the person must choose a new password after signing in with it. */
  temporaryPassword: z.string(),
  revokedApiTokens: z.number().int(),
});

export const TOKEN_SCOPES = ['read', 'write'] as const;

export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  userId: Id,
  prefix: z.string(),
  scope: z.enum(TOKEN_SCOPES),
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
});
export const CreatedApiToken = ApiToken.extend({
  /** The secret, shown this once. */
  token: z.string(),
});
export const CreateApiToken = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  /** Admins may create a token that acts as another user (an integration account). */
  userId: Id.optional(),
  scope: z.enum(TOKEN_SCOPES).default('write'),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

/** How people may sign in here: the sign-in page asks before it shows anything. */
export const SignInOptions = z.object({
  /** Single sign-on, when configured: the button's provider name and where it starts. */
  singleSignOn: z.object({ name: z.string(), startUrl: z.string() }).nullable(),
  /** False: password sign-in is kept for the break-glass admin alone (the page hides the form behind a link). */
  localPasswords: z.boolean(),
});

export const StartSingleSignOn = z.strictObject({
  /** A path inside Firebreak to come back to after signing in. */
  returnTo: z
    .string()
    .max(2000)
    // A path on this site only (not //other.site or /\other.site), and nothing a header cannot carry.
    .refine((path) => /^\/(?![/\\])/.test(path) && !/\p{Cc}/u.test(path), 'must be a path inside Firebreak, e.g. /desk')
    .optional(),
});

/** The answer to signing out of a single sign-on session, when the provider can end its own session too. */
export const SignedOut = z.object({
  /** Send the browser here to sign out at the identity provider as well. */
  providerSignOutUrl: z.string(),
});
