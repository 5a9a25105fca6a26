import type { ApiTokenRow } from '../../repositories/auth.repository.js';
import type { CategoryRow } from '../../repositories/catalog.repository.js';
import type { UserRow } from '../../repositories/users.repository.js';
import type { ServiceWithDependencies } from '../../services/catalog.service.js';
import type { TeamWithMembers } from '../../services/teams.service.js';

/** Never includes the password hash. */
export function presentUser(u: UserRow & { teamIds?: string[] }) {
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

export function presentTeam(t: TeamWithMembers) {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    managerId: t.managerId,
    memberIds: t.memberIds,
    createdAt: t.createdAt.toISOString(),
  };
}

export function presentService(s: ServiceWithDependencies) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    parentId: s.parentId,
    ownerTeamId: s.ownerTeamId,
    dependsOnIds: s.dependsOnIds,
    visibleToRequesters: s.visibleToRequesters,
    createdAt: s.createdAt.toISOString(),
  };
}

export function presentCategory(c: CategoryRow) {
  return {
    id: c.id,
    name: c.name,
    parentId: c.parentId,
    defaultTeamId: c.defaultTeamId,
    createdAt: c.createdAt.toISOString(),
  };
}

/** Never includes the secret or its hash; the secret is shown once, on creation. */
export function presentApiToken(t: ApiTokenRow) {
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
