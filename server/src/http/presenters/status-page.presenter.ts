import type { z } from 'zod';
import type {
  StatusComponent,
  StatusIncident,
  StatusMaintenance,
  StatusPageRef,
  StatusSummary,
} from '../../../../core/contracts/status-page.js';
import { statuspageMaintenanceStatus, statuspageUpdateStatus } from '../../../../core/maintenance.js';
import type {
  StatusComponent as Component,
  StatusIncident as Incident,
  StatusMaintenance as Maintenance,
  StatusPage,
} from '../../services/status-page.service.js';

/** Statuspage's page id: one page per Firebreak. */
export const STATUS_PAGE_ID = 'firebreak';

export function presentPageRef(page: StatusPage, publicUrl: string): z.input<typeof StatusPageRef> {
  return { id: STATUS_PAGE_ID, name: page.name, url: `${publicUrl}/status`, updated_at: page.updatedAt.toISOString() };
}

export function presentComponent(c: Component): z.input<typeof StatusComponent> {
  return {
    created_at: c.createdAt.toISOString(),
    description: c.description === '' ? null : c.description,
    id: c.id,
    name: c.name,
    page_id: STATUS_PAGE_ID,
    position: c.position,
    status: c.status,
    updated_at: c.updatedAt.toISOString(),
    group_id: c.parentId,
    group: false,
    only_show_if_degraded: false,
  };
}

export function presentIncident(i: Incident, publicUrl: string): z.input<typeof StatusIncident> {
  return {
    created_at: i.createdAt.toISOString(),
    id: i.id,
    impact: i.impact,
    incident_updates: i.updates.map((u) => ({
      body: u.body,
      created_at: u.at.toISOString(),
      display_at: u.at.toISOString(),
      id: u.id,
      incident_id: i.id,
      status: u.status,
      updated_at: (u.editedAt ?? u.at).toISOString(),
    })),
    monitoring_at: null,
    name: i.name,
    page_id: STATUS_PAGE_ID,
    resolved_at: i.resolvedAt?.toISOString() ?? null,
    shortlink: `${publicUrl}/status/incidents/${i.id}`,
    status: i.status,
    updated_at: i.updatedAt.toISOString(),
    components: i.componentIds,
  };
}

export function presentSummary(page: StatusPage, publicUrl: string): z.input<typeof StatusSummary> {
  return {
    page: presentPageRef(page, publicUrl),
    status: { indicator: page.indicator, description: page.description },
    components: page.components.map(presentComponent),
    incidents: page.activeIncidents.map((i) => presentIncident(i, publicUrl)),
    scheduled_maintenances: [...page.activeMaintenance, ...page.upcomingMaintenance].map((m) => presentMaintenance(m, publicUrl)),
  };
}

/** A planned maintenance window in Statuspage's scheduled-maintenance shape (impact `maintenance`). */
export function presentMaintenance(m: Maintenance, publicUrl: string): z.input<typeof StatusMaintenance> {
  return {
    created_at: m.createdAt.toISOString(),
    id: m.id,
    impact: 'maintenance',
    incident_updates: m.updates.map((u) => ({
      body: u.body,
      created_at: u.at.toISOString(),
      display_at: u.at.toISOString(),
      id: u.id,
      incident_id: m.id,
      status: statuspageUpdateStatus(u.news, u.stateAfter),
      updated_at: u.at.toISOString(),
    })),
    monitoring_at: null,
    name: m.name,
    page_id: STATUS_PAGE_ID,
    resolved_at: m.completedAt?.toISOString() ?? null,
    shortlink: `${publicUrl}/status/maintenance/${m.id}`,
    status: statuspageMaintenanceStatus(m.state),
    updated_at: m.updatedAt.toISOString(),
    scheduled_for: m.startsAt.toISOString(),
    scheduled_until: m.endsAt.toISOString(),
    started_at: m.startedAt?.toISOString() ?? null,
    components: m.componentIds,
  };
}

/**
 * Statuspage's three maintenance documents: every window (newest first), the upcoming ones, the
 * active ones. A cancelled window is in none of them (Statuspage deletes those); the page's
 * history shows it.
 */
export function maintenanceDocument(page: StatusPage, which: '' | '/upcoming' | '/active'): Maintenance[] {
  if (which === '/upcoming') return page.upcomingMaintenance;
  if (which === '/active') return page.activeMaintenance;
  return [...page.upcomingMaintenance, ...page.activeMaintenance, ...page.pastMaintenance.filter((m) => m.state === 'completed')].sort(
    (a, b) => b.startsAt.getTime() - a.startsAt.getTime(),
  );
}
