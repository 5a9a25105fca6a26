import { AppError, type FieldError, notFound } from '../../../core/errors.js';
import {
  DEFAULT_LEAD_MINUTES,
  type MaintenanceNews,
  type MaintenanceRecord,
  type MaintenanceState,
  type MaintenanceStep,
  maintenanceAnnouncementText,
  maintenanceNewsText,
  planProblems,
  stepOutcome,
  stepTimes,
} from '../../../core/maintenance.js';
import { type Actor, canScheduleMaintenance } from '../../../core/permissions.js';
import type { Tx } from '../db/client.js';
import { scheduleJob, scheduleJobs } from '../jobs/schedule.js';
import { maintenanceAnnounceJob } from '../jobs/specs/maintenance-announce.job-spec.js';
import { maintenanceStepJob } from '../jobs/specs/maintenance-step.job-spec.js';
import {
  findMaintenance,
  findMaintenanceUpdate,
  insertMaintenance,
  insertMaintenanceUpdate,
  listMaintenance,
  listMaintenanceUpdates,
  lockMaintenance,
  type MaintenanceRow,
  type MaintenanceUpdateRow,
  updateMaintenance,
} from '../repositories/maintenance.repository.js';
import { listPublicComponents } from '../repositories/status-page.repository.js';
import { insertAnnouncement } from '../repositories/status-subscriptions.repository.js';
import type { ServiceDeps } from './deps.js';
import { queueDeliveries } from './status-fan-out.service.js';
import { getStatusPageSettings } from './status-page.service.js';

/**
 * Planned maintenance on the status page (issue 15 #7): the one API every writer uses — the
 * desk's form today, changes (issue 17) later. Each write is one transaction: the window, its
 * public news, the fan-out job for that news, and the window's timers. The timers start and
 * complete it (`runMaintenanceStep`); nothing else moves its state but a cancellation.
 */

export interface MaintenanceInput {
  title: string;
  description: string;
  componentIds: string[];
  startsAt: Date;
  endsAt: Date;
  /** Minutes before the start at which subscribers are reminded; default a day. */
  leadMinutes?: number;
}

export interface Maintenance extends MaintenanceRow {
  /** Newest first. */
  updates: MaintenanceUpdateRow[];
}

function refuse(errors: FieldError[]): never {
  throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}

function assertMayWrite(actor: Actor): void {
  if (!canScheduleMaintenance(actor)) throw new AppError('forbidden', 'Only managers and admins plan maintenance on the status page');
}

/** The components must be services shown on the status page: maintenance is public news. */
async function checkComponents(tx: Tx, componentIds: string[]): Promise<string[]> {
  const unique = [...new Set(componentIds)];
  if (unique.length === 0) refuse([{ field: 'componentIds', message: 'must name at least one service on the status page' }]);
  const publicIds = new Set((await listPublicComponents(tx)).map((c) => c.id));
  const unknown = unique.filter((id) => !publicIds.has(id));
  if (unknown.length > 0) {
    refuse([{ field: 'componentIds', message: `must be services shown on the status page (not: ${unknown.join(', ')})` }]);
  }
  return unique;
}

/** Writes one piece of news and asks for its fan-out, in the caller's transaction. */
async function addNews(
  tx: Tx,
  window: MaintenanceRow,
  news: MaintenanceNews,
  actorId: string | null,
  now: Date,
): Promise<MaintenanceUpdateRow> {
  const update = await insertMaintenanceUpdate(tx, {
    maintenanceId: window.id,
    news,
    stateAfter: window.state,
    body: maintenanceNewsText(news, window),
    actorId,
    at: now,
  });
  await scheduleJob(tx, maintenanceAnnounceJob, { updateId: update.id }, { runAt: now, now });
  return update;
}

const record = (w: MaintenanceRow): MaintenanceRecord => ({
  startsAt: w.startsAt,
  endsAt: w.endsAt,
  leadMinutes: w.leadMinutes,
  state: w.state as MaintenanceState,
  createdAt: w.createdAt,
  remindedFor: w.remindedFor,
});

/** The window's timers for its plan as it stands (ids name the instants: asking again adds nothing). */
async function scheduleSteps(tx: Tx, window: MaintenanceRow, now: Date): Promise<void> {
  await scheduleJobs(
    tx,
    maintenanceStepJob,
    stepTimes(record(window)).map(({ step, at }) => ({
      payload: { maintenanceId: window.id, step, at: at.toISOString() },
      runAt: at,
    })),
    now,
  );
}

export async function createMaintenance(deps: ServiceDeps, actor: Actor, input: MaintenanceInput): Promise<Maintenance> {
  assertMayWrite(actor);
  const now = deps.clock.now();
  const leadMinutes = input.leadMinutes ?? DEFAULT_LEAD_MINUTES;
  const problems = planProblems({ ...input, leadMinutes }, { now, state: null });
  if (problems.length > 0) refuse(problems);
  return deps.db.transaction(async (tx) => {
    const componentIds = await checkComponents(tx, input.componentIds);
    const window = await insertMaintenance(tx, {
      title: input.title,
      description: input.description,
      componentIds,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      leadMinutes,
      state: 'scheduled',
      createdById: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    const update = await addNews(tx, window, 'scheduled', actor.id, now);
    await scheduleSteps(tx, window, now);
    return { ...window, updates: [update] };
  });
}

/**
 * Changes a window's plan or words. Subscribers hear of it ("the plan changed"); its timers move
 * with it. A window that is over or cancelled is history: 409. `version` (optional) guards
 * against two editors: a stale one gets 412.
 */
export async function editMaintenance(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: Partial<MaintenanceInput> & { version?: number },
): Promise<Maintenance> {
  assertMayWrite(actor);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const before = await lockMaintenance(tx, id);
    if (!before) throw notFound('maintenance');
    if (input.version !== undefined && input.version !== before.version) {
      throw new AppError('stale_version', 'Someone changed this maintenance since you loaded it: reload it and try again');
    }
    const state = before.state as MaintenanceState;
    if (state === 'completed' || state === 'cancelled') {
      throw new AppError(
        'illegal_transition',
        `This maintenance is ${state === 'completed' ? 'over' : 'cancelled'}: it cannot be changed any more`,
      );
    }
    const plan = {
      startsAt: input.startsAt ?? before.startsAt,
      endsAt: input.endsAt ?? before.endsAt,
      leadMinutes: input.leadMinutes ?? before.leadMinutes,
    };
    // An unchanged start of a scheduled window is not refused for being near: only a new one must lie ahead.
    const startMoved = plan.startsAt.getTime() !== before.startsAt.getTime();
    const problems = planProblems(plan, { now, state, previousStart: before.startsAt }).filter(
      (p) => !(p.field === 'startsAt' && state === 'scheduled' && !startMoved),
    );
    if (problems.length > 0) refuse(problems);
    const componentIds = input.componentIds ? await checkComponents(tx, input.componentIds) : before.componentIds;
    const after = await updateMaintenance(tx, id, {
      ...plan,
      title: input.title ?? before.title,
      description: input.description ?? before.description,
      componentIds,
      version: before.version + 1,
      updatedAt: now,
    });
    const update = await addNews(tx, after, 'updated', actor.id, now);
    await scheduleSteps(tx, after, now);
    const earlier = await listMaintenanceUpdates(tx, [id]);
    return { ...after, updates: [update, ...earlier.filter((u) => u.id !== update.id)] };
  });
}

/** Calls a window off (scheduled or in progress): its components leave maintenance now; subscribers hear of it. */
export async function cancelMaintenance(deps: ServiceDeps, actor: Actor, id: string): Promise<Maintenance> {
  assertMayWrite(actor);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const before = await lockMaintenance(tx, id);
    if (!before) throw notFound('maintenance');
    if (before.state === 'completed' || before.state === 'cancelled') {
      throw new AppError(
        'illegal_transition',
        `This maintenance is ${before.state === 'completed' ? 'over' : 'cancelled already'}: there is nothing to cancel`,
      );
    }
    const after = await updateMaintenance(tx, id, { state: 'cancelled', cancelledAt: now, version: before.version + 1, updatedAt: now });
    await addNews(tx, after, 'cancelled', actor.id, now);
    return { ...after, updates: await listMaintenanceUpdates(tx, [id]) };
  });
}

/**
 * A timer of a window: under the window's lock, does what `stepOutcome` says (nothing for a
 * stale or repeated timer), so a window starts and completes exactly once however many
 * processes run its timers, and after a restart. Returns the news it made, or null.
 */
export async function runMaintenanceStep(
  deps: ServiceDeps,
  timer: { maintenanceId: string; step: MaintenanceStep; at: Date },
): Promise<MaintenanceNews | null> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const window = await lockMaintenance(tx, timer.maintenanceId);
    if (!window) return null;
    const outcome = stepOutcome(record(window), timer.step, timer.at, now);
    if (!outcome) return null;
    const after = await updateMaintenance(tx, window.id, {
      state: outcome.state,
      ...(outcome.remindedFor ? { remindedFor: outcome.remindedFor } : {}),
      ...(outcome.state === 'in_progress' ? { startedAt: now } : {}),
      ...(outcome.state === 'completed' ? { completedAt: now, startedAt: window.startedAt ?? now } : {}),
      updatedAt: now,
    });
    await addNews(tx, after, outcome.news, null, now);
    return outcome.news;
  });
}

/**
 * The fan-out of one piece of maintenance news: its words fixed once as an announcement (unique
 * per update), a delivery per subscriber of its public components. Run again, adds nothing.
 */
export async function announceMaintenanceUpdate(deps: ServiceDeps, updateId: string): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const found = await findMaintenanceUpdate(tx, updateId);
    if (!found) return 0;
    const { update, window } = found;
    const components = (await listPublicComponents(tx)).filter((c) => window.componentIds.includes(c.id));
    if (components.length === 0) return 0;
    const settings = await getStatusPageSettings(tx);
    const text = maintenanceAnnouncementText({
      pageName: settings.name,
      news: update.news as MaintenanceNews,
      title: window.title,
      body: update.body,
      componentNames: components.map((c) => c.name),
    });
    const announcement = await insertAnnouncement(tx, {
      ticketId: null,
      maintenanceId: window.id,
      key: `maintenance:${update.id}`,
      kind: 'maintenance',
      subject: text.subject,
      bodyText: text.body,
      componentIds: components.map((c) => c.id),
      createdAt: now,
    });
    return queueDeliveries(tx, announcement, now);
  });
}

/** Windows not over yet and those that ended in the last `days` days, with their news. */
export async function listMaintenanceWithUpdates(deps: Pick<ServiceDeps, 'db'>, since: Date): Promise<Maintenance[]> {
  const windows = await listMaintenance(deps.db, since);
  const updates = await listMaintenanceUpdates(
    deps.db,
    windows.map((w) => w.id),
  );
  return windows.map((w) => ({ ...w, updates: updates.filter((u) => u.maintenanceId === w.id) }));
}

export async function getMaintenance(deps: Pick<ServiceDeps, 'db'>, id: string): Promise<Maintenance> {
  const window = await findMaintenance(deps.db, id);
  if (!window) throw notFound('maintenance');
  return { ...window, updates: await listMaintenanceUpdates(deps.db, [id]) };
}
