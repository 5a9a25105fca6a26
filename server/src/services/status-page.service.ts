import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { componentsUnderMaintenance, type MaintenanceNews, type MaintenanceState } from '../../../core/maintenance.js';
import type { Actor } from '../../../core/permissions.js';
import {
  type ComponentStatus,
  componentStatus,
  componentsAffectedBy,
  impactOf,
  type OutageInterval,
  overallStatus,
  PUBLIC_UPDATE_STATUSES,
  type PublicUpdateStatus,
  publicUpdateStatus,
  type StatusIndicator,
  statusFromIncident,
  type UptimeDay,
  uptimeByDay,
  uptimeOverall,
} from '../../../core/status-page.js';
import { DEFAULT_FIRST_NOTICE_DELAY_MINUTES } from '../../../core/status-subscriptions.js';
import { OPEN_STATES, type TicketState } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { findServiceById, listDependencyEdges, listServices } from '../repositories/catalog.repository.js';
import { listMaintenance, listMaintenanceUpdates } from '../repositories/maintenance.repository.js';
import { latestEdits, listUpdateEdits } from '../repositories/public-update-edits.repository.js';
import { readSetting, writeSetting } from '../repositories/settings.repository.js';
import {
  deleteStatusOverride,
  listPublicComponents,
  listPublicIncidents,
  listPublicUpdates,
  listStatusOverrides,
  type PublicIncidentRow,
  readStatusPageVersion,
  upsertStatusOverride,
} from '../repositories/status-page.repository.js';
import type { ServiceDeps } from './deps.js';
import { getLogoMeta } from './status-page-logo.service.js';

const SETTING = 'status_page';
export const UPTIME_DAYS = 90;
const DAY = 86_400_000;

export interface StatusPageSettings {
  /** The organisation's name, at the top of the page and in the JSON's `page.name`. */
  name: string;
  /** Minutes the automatic first notice to subscribers waits for the desk's own first update. */
  firstNoticeDelayMinutes: number;
}
export const DEFAULT_STATUS_PAGE_SETTINGS: StatusPageSettings = {
  name: 'Service status',
  firstNoticeDelayMinutes: DEFAULT_FIRST_NOTICE_DELAY_MINUTES,
};

export async function getStatusPageSettings(db: Db): Promise<StatusPageSettings> {
  return { ...DEFAULT_STATUS_PAGE_SETTINGS, ...((await readSetting<Partial<StatusPageSettings>>(db, SETTING)) ?? {}) };
}

/** A setting left out of the request keeps its value (older clients send the name alone). */
export async function setStatusPageSettings(
  deps: ServiceDeps,
  _actor: Actor,
  changes: Pick<StatusPageSettings, 'name'> & Partial<StatusPageSettings>,
): Promise<StatusPageSettings> {
  const settings = { ...(await getStatusPageSettings(deps.db)), ...definedOnly(changes) };
  await writeSetting(deps.db, SETTING, settings, deps.clock.now());
  return settings;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface StatusComponent {
  id: string;
  name: string;
  description: string;
  parentId: string | null;
  position: number;
  status: ComponentStatus;
  createdAt: Date;
  updatedAt: Date;
  /** A manual status while it lasts. */
  override: { until: Date; reason: string } | null;
  uptimeDays: UptimeDay[];
  /** Over the last 90 days; null before the component existed. */
  uptime: number | null;
}

export interface StatusUpdate {
  id: string;
  /** The current text: the last correction's, when the desk corrected it. */
  body: string;
  at: Date;
  /** When the text was last corrected; null: as first sent. */
  editedAt: Date | null;
  status: PublicUpdateStatus;
  /** The stage the update composer wrote it for, when one of these; null: a plain public reply (or the resolution notes). */
  stage: PublicUpdateStatus | null;
}

export interface StatusIncident {
  id: string;
  number: string;
  name: string;
  status: 'investigating' | 'resolved';
  impact: 'none' | 'minor' | 'major' | 'critical';
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  componentIds: string[];
  /** Newest first. */
  updates: StatusUpdate[];
}

export interface StatusMaintenanceUpdate {
  id: string;
  news: MaintenanceNews;
  stateAfter: MaintenanceState;
  body: string;
  at: Date;
}

/** A planned maintenance window as the public sees it. */
export interface StatusMaintenance {
  id: string;
  name: string;
  description: string;
  state: MaintenanceState;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  /** Public components only. */
  componentIds: string[];
  /** Newest first. */
  updates: StatusMaintenanceUpdate[];
}

export interface StatusPage {
  name: string;
  /** When it was read (the clock's now). */
  readAt: Date;
  /** The feeds' entry for an incident nobody has written about yet waits this long, like the first notice mail. */
  firstNoticeDelayMinutes: number;
  /** The organisation's logo, when an admin gave one: its hash names the image's version. */
  logo: { sha256: string } | null;
  updatedAt: Date;
  indicator: StatusIndicator;
  description: string;
  components: StatusComponent[];
  activeIncidents: StatusIncident[];
  /** Resolved in the last 90 days, newest first. */
  pastIncidents: StatusIncident[];
  /** Planned maintenance not over yet, soonest first. */
  upcomingMaintenance: StatusMaintenance[];
  activeMaintenance: StatusMaintenance[];
  /** Completed or cancelled in the last 90 days, newest first. */
  pastMaintenance: StatusMaintenance[];
}

/** Runs one read after letting the event loop answer whoever is waiting. */
async function step<T>(read: () => Promise<T>): Promise<T> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  return read();
}

const isOpen = (state: string) => OPEN_STATES.includes(state as TicketState);

/**
 * Everything the public page shows, read in a handful of queries: public components, the
 * public incidents of the last 90 days and their desk updates, overrides. Statuses and uptime
 * come from the pure rules in core/status-page.ts.
 */
export async function readStatusPage(db: Db, now: Date): Promise<StatusPage> {
  const since = new Date(now.getTime() - UPTIME_DAYS * DAY);
  // One query at a time, with readers answered between them: PGlite runs each on this thread,
  // and all of them back to back held the event loop for 60–80 ms under load.
  const settings = await step(() => getStatusPageSettings(db));
  const logo = await step(() => getLogoMeta(db));
  const components = await step(() => listPublicComponents(db));
  const overrides = await step(() => listStatusOverrides(db));
  const incidents = await step(() => listPublicIncidents(db, since));
  const edges = await step(() => listDependencyEdges(db));
  const allServices = await step(() => listServices(db));
  const windows = await step(() => listMaintenance(db, since));
  const maintenanceUpdates = await step(() =>
    listMaintenanceUpdates(
      db,
      windows.map((w) => w.id),
    ),
  );
  const publicIds = new Set(components.map((c) => c.id));
  // Only public components show maintenance; a window whose components all left the page is not shown.
  const maintenance: StatusMaintenance[] = windows
    .map((w) => ({
      id: w.id,
      name: w.title,
      description: w.description,
      state: w.state as MaintenanceState,
      startsAt: w.startsAt,
      endsAt: w.endsAt,
      createdAt: w.createdAt,
      updatedAt: w.updatedAt,
      startedAt: w.startedAt,
      completedAt: w.completedAt ?? w.cancelledAt,
      componentIds: w.componentIds.filter((id) => publicIds.has(id)),
      updates: maintenanceUpdates
        .filter((u) => u.maintenanceId === w.id)
        .map((u) => ({
          id: u.id,
          news: u.news as MaintenanceNews,
          stateAfter: u.stateAfter as MaintenanceState,
          body: u.body,
          at: u.at,
        })),
    }))
    .filter((m) => m.componentIds.length > 0);
  const underMaintenance = componentsUnderMaintenance(maintenance);
  const parents = allServices.map((s) => ({ id: s.id, parentId: s.parentId }));
  const affectedBy = new Map<string, string[]>();
  for (const incident of incidents) {
    const affected = incident.serviceId ? [...componentsAffectedBy(incident.serviceId, edges, parents)] : [];
    affectedBy.set(
      incident.id,
      affected.filter((id) => publicIds.has(id)),
    );
  }
  // An incident no public component shows is not the public's business.
  const shown = incidents.filter((i) => (affectedBy.get(i.id) ?? []).length > 0);
  const updates = await step(() =>
    listPublicUpdates(
      db,
      shown.map((i) => i.id),
    ),
  );
  const edits = latestEdits(
    await step(() =>
      listUpdateEdits(
        db,
        shown.map((i) => i.id),
      ),
    ),
  );
  const overrideOf = new Map(overrides.map((o) => [o.serviceId, o]));

  const statusComponents: StatusComponent[] = components.map((c, position) => {
    const mine = shown.filter((i) => affectedBy.get(i.id)?.includes(c.id));
    const override = overrideOf.get(c.id);
    const status = componentStatus({
      openIncidents: mine.filter((i) => isOpen(i.state)).map(facts),
      maintenanceInProgress: underMaintenance.has(c.id),
      override: override ? { status: override.status as ComponentStatus, until: override.until } : null,
      now,
    });
    const intervals: OutageInterval[] = mine.map((i) => ({
      status: statusFromIncident(facts(i)),
      from: i.openedAt,
      until: isOpen(i.state) ? null : i.resolvedAt,
    }));
    const uptimeDays = uptimeByDay(intervals, { now, days: UPTIME_DAYS, since: c.createdAt });
    const changes = [
      c.createdAt,
      ...mine.map((i) => i.updatedAt),
      ...(override ? [override.setAt] : []),
      ...maintenance.filter((m) => m.componentIds.includes(c.id) && m.state !== 'scheduled').map((m) => m.updatedAt),
    ];
    return {
      id: c.id,
      name: c.name,
      description: c.description,
      parentId: c.parentId && publicIds.has(c.parentId) ? c.parentId : null,
      position: position + 1,
      status,
      createdAt: c.createdAt,
      updatedAt: new Date(Math.max(...changes.map((d) => d.getTime()))),
      override: override && override.until > now ? { until: override.until, reason: override.reason } : null,
      uptimeDays,
      uptime: uptimeOverall(uptimeDays, now),
    };
  });

  const toIncident = (i: PublicIncidentRow): StatusIncident => {
    const open = isOpen(i.state);
    const mineUpdates: StatusUpdate[] = updates
      .filter((u) => u.ticketId === i.id)
      .map((u) => ({
        id: String(u.id),
        body: edits.get(u.id)?.to ?? u.body,
        at: u.at,
        editedAt: edits.get(u.id)?.at ?? null,
        status: publicUpdateStatus({ stage: u.stage, writtenAfterResolution: !open && !!i.resolvedAt && u.at >= i.resolvedAt }),
        stage: PUBLIC_UPDATE_STATUSES.find((s) => s === u.stage) ?? null,
      }));
    // The resolution is the last word the public hears, when the desk wrote one.
    if (!open && i.resolvedAt && i.resolutionNotes) {
      mineUpdates.unshift({
        id: `${i.id}-resolved`,
        body: i.resolutionNotes,
        at: i.resolvedAt,
        editedAt: null,
        status: 'resolved',
        stage: null,
      });
    }
    return {
      id: i.id,
      number: i.number,
      name: i.title,
      status: open ? 'investigating' : 'resolved',
      impact: impactOf(statusFromIncident(facts(i))),
      createdAt: i.openedAt,
      updatedAt: i.updatedAt,
      resolvedAt: open ? null : i.resolvedAt,
      componentIds: affectedBy.get(i.id) ?? [],
      updates: mineUpdates,
    };
  };
  const overall = overallStatus(statusComponents.map((c) => c.status));
  const latest = [
    ...statusComponents.map((c) => c.updatedAt.getTime()),
    ...shown.map((i) => i.updatedAt.getTime()),
    ...maintenance.map((m) => m.updatedAt.getTime()),
  ];
  return {
    name: settings.name,
    readAt: now,
    firstNoticeDelayMinutes: settings.firstNoticeDelayMinutes,
    logo: logo ? { sha256: logo.sha256 } : null,
    updatedAt: new Date(latest.length > 0 ? Math.max(...latest) : now.getTime()),
    indicator: overall.indicator,
    description: overall.description,
    components: statusComponents,
    activeIncidents: shown.filter((i) => isOpen(i.state)).map(toIncident),
    pastIncidents: shown.filter((i) => !isOpen(i.state)).map(toIncident),
    upcomingMaintenance: maintenance.filter((m) => m.state === 'scheduled'),
    activeMaintenance: maintenance.filter((m) => m.state === 'in_progress'),
    pastMaintenance: maintenance
      .filter((m) => m.state === 'completed' || m.state === 'cancelled')
      .sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime()),
  };
}

function facts(i: PublicIncidentRow) {
  return { priority: i.priority, major: i.majorSince !== null, kind: 'incident' as const };
}

/** A manual status on a public component until a time in the future (admins and managers). */
export async function setStatusOverride(
  deps: ServiceDeps,
  actor: Actor,
  serviceId: string,
  input: { status: ComponentStatus; until: Date; reason: string },
): Promise<void> {
  const service = await findServiceById(deps.db, serviceId);
  if (!service) throw notFound('service');
  if (!service.onStatusPage) {
    throw new AppError('unprocessable', `${service.name} is not shown on the status page: show it there first (Admin › Services)`);
  }
  const now = deps.clock.now();
  if (input.until <= now) throw fieldError('unprocessable', 'until', 'must be in the future: the override ends then');
  await upsertStatusOverride(deps.db, {
    serviceId,
    status: input.status,
    until: input.until,
    reason: input.reason,
    setById: actor.id,
    setAt: now,
  });
}

export async function clearStatusOverride(deps: ServiceDeps, _actor: Actor, serviceId: string): Promise<void> {
  if (!(await deleteStatusOverride(deps.db, serviceId))) throw notFound('status override');
}

/** What the page is read from, as a fingerprint: it differs once any process wrote something the page may show. */
export function readStatusPageFingerprint(db: Db): Promise<string> {
  return readStatusPageVersion(db);
}
