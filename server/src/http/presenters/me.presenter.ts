import type { z } from 'zod';
import type { Me } from '../../../../core/contracts/auth.js';
import type { LocalPasswordPolicy } from '../../../../core/single-sign-on.js';
import type { UserRow } from '../../repositories/users.repository.js';

/** The signed-in person as they see themselves: their preferences, and whether they must change their password first. */
export function presentMe(user: UserRow, policy: LocalPasswordPolicy): z.input<typeof Me> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    timeZone: user.timeZone,
    emailNotifications: user.emailNotifications,
    notificationPreferences: user.notificationPreferences,
    mustChangePassword: user.mustChangePassword,
    hasPassword: user.passwordHash !== null,
    localPasswords: { enabled: policy.enabled, breakGlassEmail: user.role === 'admin' ? policy.breakGlassEmail : null },
  };
}
