import type { z } from 'zod';
import type { Maintenance as MaintenanceBody } from '../../../../core/contracts/maintenance.js';
import type { MaintenanceNews, MaintenanceState } from '../../../../core/maintenance.js';
import type { Maintenance } from '../../services/maintenance.service.js';

export function presentMaintenance(m: Maintenance): z.input<typeof MaintenanceBody> {
  return {
    id: m.id,
    title: m.title,
    description: m.description,
    componentIds: m.componentIds,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    leadMinutes: m.leadMinutes,
    state: m.state as MaintenanceState,
    startedAt: m.startedAt?.toISOString() ?? null,
    completedAt: m.completedAt?.toISOString() ?? null,
    cancelledAt: m.cancelledAt?.toISOString() ?? null,
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    updates: m.updates.map((u) => ({
      id: u.id,
      news: u.news as MaintenanceNews,
      stateAfter: u.stateAfter as MaintenanceState,
      body: u.body,
      at: u.at.toISOString(),
    })),
  };
}
