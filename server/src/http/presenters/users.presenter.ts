import type { z } from 'zod';
import type { User } from '../../../../core/contracts/directory.js';
import type { UserRow } from '../../repositories/users.repository.js';

/** Never includes the password hash. */
export function presentUser(u: UserRow & { teamIds?: string[] }): z.input<typeof User> {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    timeZone: u.timeZone,
    organisation: u.organisation,
    ...(u.teamIds ? { teamIds: u.teamIds } : {}),
    createdAt: u.createdAt.toISOString(),
  };
}
