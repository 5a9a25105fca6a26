import type { CategoryRow } from '../../repositories/catalog.repository.js';
import type { ServiceWithDependencies } from '../../services/catalog.service.js';

export function presentService(s: ServiceWithDependencies) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    parentId: s.parentId,
    ownerTeamId: s.ownerTeamId,
    dependsOnIds: s.dependsOnIds,
    visibleToRequesters: s.visibleToRequesters,
    onStatusPage: s.onStatusPage,
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
