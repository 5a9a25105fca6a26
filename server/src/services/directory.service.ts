import { keysetCursor, keysetPage } from '../../../core/cursors.js';
import { fieldError, notFound } from '../../../core/errors.js';
import type { NotificationGroup, NotificationPreferences } from '../../../core/notification-rules.js';
import { type Actor, canSeeUser } from '../../../core/permissions.js';
import { type LocalPasswordPolicy, PASSWORDS_OFF, passwordAllowed } from '../../../core/single-sign-on.js';
import { hasRoleAtLeast, type Role } from '../../../core/vocabulary.js';
import { hashPassword } from '../adapters/secrets.js';
import type { Db } from '../db/client.js';
import { announcePersonChanged, deleteSessionsOfUser, revokeApiTokensOfUser } from '../repositories/auth.repository.js';
import { listTeamIdsOfUser } from '../repositories/teams.repository.js';
import {
  findUserByEmail,
  findUserById,
  findUsersByIds,
  insertUser,
  listUsers,
  type UserRow,
  updateUser,
} from '../repositories/users.repository.js';
import { changingConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  timeZone: string;
  organisation?: string | null;
  password?: string;
  /** A hash made already (the demo hashes its one public password once, not for each account). */
  passwordHash?: string;
}

export async function createUser(deps: ServiceDeps & PasswordPolicyDeps, input: CreateUserInput): Promise<UserRow> {
  if (input.password) requirePasswordAllowed(deps, { email: input.email, role: input.role });
  // Hash before the transaction: scrypt takes ~100 ms, and on the embedded engine an open
  // transaction holds up every other write.
  const passwordHash = input.passwordHash ?? (input.password ? await hashPassword(input.password, deps.passwordCost) : null);
  return deps.db.transaction(async (tx) => {
    if (await findUserByEmail(tx, input.email)) {
      throw fieldError('conflict', 'email', `a user with the e-mail address ${input.email} already exists`);
    }
    const now = deps.clock.now();
    return insertUser(tx, {
      email: input.email.trim(),
      name: input.name,
      role: input.role,
      timeZone: input.timeZone,
      organisation: input.organisation ?? null,
      passwordHash,
      createdAt: now,
      updatedAt: now,
    });
  });
}

/**
 * The desk adds a caller it does not know yet, while logging their ticket: a requester with no
 * password (they follow their ticket by e-mail, or an admin gives them a sign-in later).
 */
export async function createRequester(deps: ServiceDeps, input: { name: string; email: string }): Promise<UserRow> {
  return createUser(deps, { name: input.name, email: input.email, role: 'requester', timeZone: 'UTC' });
}

export interface UpdateUserInput {
  emailNotifications?: boolean;
  /** Merged into the current choices, group by group and channel by channel. */
  notificationPreferences?: NotificationPreferences;
  name?: string;
  role?: Role;
  active?: boolean;
  timeZone?: string;
  organisation?: string | null;
  password?: string;
  /** With a new password or a deactivation: revoke their API tokens too (default yes). */
  revokeApiTokens?: boolean;
}

export async function updateUserById(
  deps: ServiceDeps & PasswordPolicyDeps,
  actorId: string,
  id: string,
  input: UpdateUserInput,
): Promise<UserRow> {
  const passwordHash = input.password ? await hashPassword(input.password, deps.passwordCost) : undefined;
  // API tokens this process keeps sign in the person as they were: read afresh once this ends.
  return changingConfig(deps.configCache, 'users', () =>
    deps.db.transaction(async (tx) => {
      const existing = await findUserById(tx, id);
      if (!existing) throw notFound('user');
      if (input.password) requirePasswordAllowed(deps, { email: existing.email, role: input.role ?? existing.role });
      if (id === actorId && (input.active === false || (input.role && input.role !== 'admin'))) {
        // An admin locking themselves out is always a mistake; another admin can do it.
        throw fieldError('unprocessable', input.active === false ? 'active' : 'role', 'you cannot deactivate or demote yourself');
      }
      const { password, notificationPreferences, revokeApiTokens, ...fields } = input;
      const updated = await updateUser(tx, id, {
        ...fields,
        ...(notificationPreferences
          ? { notificationPreferences: mergePreferences(existing.notificationPreferences, notificationPreferences) }
          : {}),
        ...(passwordHash ? { passwordHash } : {}),
        updatedAt: deps.clock.now(),
      });
      // Deactivation or a new password ends every session at once, and (unless the admin keeps
      // them) revokes the API tokens for good, so a later reactivation does not revive them.
      if (input.active === false || password) {
        await deleteSessionsOfUser(tx, id);
        if (revokeApiTokens !== false) await revokeApiTokensOfUser(tx, id, deps.clock.now());
      }
      // Live streams carry the role they connected with: tell every server process to re-check.
      if ((input.role && input.role !== existing.role) || (input.active === false && existing.active)) {
        await announcePersonChanged(tx, id);
      }
      return updated as UserRow;
    }),
  );
}

function mergePreferences(current: NotificationPreferences, change: NotificationPreferences): NotificationPreferences {
  const merged: NotificationPreferences = { ...current };
  for (const [group, channels] of Object.entries(change) as [NotificationGroup, NotificationPreferences[NotificationGroup]][]) {
    merged[group] = { ...current[group], ...channels };
  }
  return merged;
}

/** One person as `actor` may see them (core/permissions canSeeUser); anyone else's record is "not found". */
export async function getUserAs(db: Db, actor: Actor, id: string): Promise<UserRow & { teamIds: string[] }> {
  if (!canSeeUser(actor, id)) throw notFound('user');
  return getUser(db, id);
}

export async function getUser(db: Db, id: string): Promise<UserRow & { teamIds: string[] }> {
  const user = await findUserById(db, id);
  if (!user) throw notFound('user');
  return { ...user, teamIds: await listTeamIdsOfUser(db, id) };
}

/** People page by e-mail address, case-insensitively: the cursor is the last address itself. */
const personCursor = keysetCursor('text', ['text']);

export async function searchUsers(
  db: Db,
  filter: { role?: Role; staff?: boolean; active?: boolean; q?: string; cursor?: string; limit: number },
): Promise<{ items: UserRow[]; nextCursor: string | null }> {
  const afterEmail = filter.cursor ? personCursor.decode(filter.cursor)[0] : undefined;
  const rows = await listUsers(db, { ...filter, afterEmail, limit: filter.limit + 1 });
  return keysetPage(rows, filter.limit, personCursor, (user) => [user.email.toLowerCase()] as [string]);
}

/** Checks that every id is an active user with at least `minimumRole`; names the field otherwise. */
export async function requireActiveUsers(db: Db, ids: string[], minimumRole: Role, field: string): Promise<void> {
  const unique = [...new Set(ids)];
  const found = await findUsersByIds(db, unique);
  for (const id of unique) {
    const user = found.find((u) => u.id === id);
    if (!user) throw fieldError('unprocessable', field, `no user has the id ${id}`);
    if (!user.active) throw fieldError('unprocessable', field, `${user.name} is deactivated`);
    if (!hasRoleAtLeast(user.role, minimumRole)) {
      throw fieldError('unprocessable', field, `${user.name} is a ${user.role}; this needs an ${minimumRole} or above`);
    }
  }
}

/** With single sign-on replacing passwords, the policy saying who may still have one (absent: everyone). */
export interface PasswordPolicyDeps {
  localPasswords?: LocalPasswordPolicy;
}

/** Refuses giving a password to someone who may not have one (409, naming `password`). */
export function requirePasswordAllowed(deps: PasswordPolicyDeps, person: { email: string; role: Role }): void {
  if (deps.localPasswords && !passwordAllowed(deps.localPasswords, person)) throw fieldError('conflict', 'password', PASSWORDS_OFF);
}
