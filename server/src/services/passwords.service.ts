import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { accountKey } from '../../../core/sign-in-limits.js';
import { PASSWORDS_OFF, passwordAllowed } from '../../../core/single-sign-on.js';
import { generatePassword, hashPassword, sha256 } from '../adapters/secrets.js';
import {
  clearSignInFailures,
  deleteOtherSessionsOfUser,
  deleteSessionsOfUser,
  revokeApiTokensOfUser,
} from '../repositories/auth.repository.js';
import { findUserById, type UserRow, updateUser } from '../repositories/users.repository.js';
import { claimPasswordAttempt, passwordMatches } from './auth.service.js';
import { changingConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';
import type { PasswordPolicyDeps } from './directory.service.js';

/**
 * A person changes their own password, proving it is them with the current one (the attempt
 * counts against the same limits as signing in, so a stolen session cannot guess it). Every
 * other session ends; the one in use stays. API tokens are revoked unless they choose to keep them.
 */
export async function changeOwnPassword(
  deps: ServiceDeps & PasswordPolicyDeps,
  who: { user: UserRow; sessionToken: string | null; ip: string },
  input: { currentPassword: string; newPassword: string; revokeApiTokens: boolean },
): Promise<{ revokedApiTokens: number }> {
  if (deps.localPasswords && !passwordAllowed(deps.localPasswords, who.user)) {
    throw fieldError('conflict', 'newPassword', PASSWORDS_OFF);
  }
  // Someone made through single sign-on (or by the desk for e-mail only) has none to prove.
  if (!who.user.passwordHash) {
    throw fieldError('conflict', 'currentPassword', 'you have no password here: you sign in with single sign-on');
  }
  await claimPasswordAttempt(deps, who.user.email, who.ip);
  if (!(await passwordMatches(deps, who.user, input.currentPassword))) {
    throw new AppError('validation_failed', 'The current password is not right.', {
      errors: [{ field: 'currentPassword', message: 'is not your current password' }],
    });
  }
  if (input.newPassword === input.currentPassword) {
    throw fieldError('validation_failed', 'newPassword', 'must be different from your current password');
  }
  const passwordHash = await hashPassword(input.newPassword, deps.passwordCost);
  // A password change may revoke API tokens this process keeps: read afresh once this ends.
  return changingConfig(deps.configCache, 'users', () =>
    deps.db.transaction(async (tx) => {
      const now = deps.clock.now();
      await updateUser(tx, who.user.id, { passwordHash, mustChangePassword: false, updatedAt: now });
      await clearSignInFailures(tx, accountKey(who.user.email));
      if (who.sessionToken) await deleteOtherSessionsOfUser(tx, who.user.id, sha256(who.sessionToken));
      else await deleteSessionsOfUser(tx, who.user.id);
      return { revokedApiTokens: input.revokeApiTokens ? await revokeApiTokensOfUser(tx, who.user.id, now) : 0 };
    }),
  );
}

/**
 * An admin resets someone's password to a temporary one, shown once for the admin to pass on.
 * The person must choose a new password before anything else; all their sessions end, and their
 * API tokens are revoked unless the admin keeps them (an integration account's, say).
 */
export async function resetPassword(
  deps: ServiceDeps & PasswordPolicyDeps,
  actorId: string,
  userId: string,
  input: { revokeApiTokens: boolean },
): Promise<{ temporaryPassword: string; revokedApiTokens: number }> {
  if (userId === actorId) {
    throw new AppError('unprocessable', 'Change your own password in Settings, with your current password.');
  }
  const temporaryPassword = generatePassword();
  const passwordHash = await hashPassword(temporaryPassword, deps.passwordCost);
  // A password change may revoke API tokens this process keeps: read afresh once this ends.
  return changingConfig(deps.configCache, 'users', () =>
    deps.db.transaction(async (tx) => {
      const user = await findUserById(tx, userId);
      if (!user) throw notFound('user');
      if (!user.active) throw new AppError('unprocessable', `${user.name} is deactivated: reactivate them first.`);
      if (deps.localPasswords && !passwordAllowed(deps.localPasswords, user)) {
        throw new AppError('conflict', `${user.name} cannot be given a password: ${PASSWORDS_OFF}.`);
      }
      const now = deps.clock.now();
      await updateUser(tx, userId, { passwordHash, mustChangePassword: true, updatedAt: now });
      await deleteSessionsOfUser(tx, userId);
      // They may have been slowed down by their own attempts: the new password works at once.
      await clearSignInFailures(tx, accountKey(user.email));
      const revokedApiTokens = input.revokeApiTokens ? await revokeApiTokensOfUser(tx, userId, now) : 0;
      return { temporaryPassword, revokedApiTokens };
    }),
  );
}
