import type { z } from 'zod';
import type { Me } from '../../../../core/contracts/auth.js';
import type { UserRow } from '../../repositories/users.repository.js';

/** The signed-in person as they see themselves: their preferences, and whether they must change their password first. */
export function presentMe(user: UserRow): z.input<typeof Me> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    timeZone: user.timeZone,
    emailNotifications: user.emailNotifications,
    notificationPreferences: user.notificationPreferences,
    mustChangePassword: user.mustChangePassword,
  };
}
