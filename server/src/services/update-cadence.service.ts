import { AppError } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import type { FollowUp } from '../../../core/ticket-follow-ups.js';
import {
  DEFAULT_OVERDUE_GRACE_MINUTES,
  DEFAULT_UPDATE_INTERVALS,
  nextUpdateDue,
  type UpdateIntervals,
  updateIntervalProblems,
  updateStatus,
} from '../../../core/update-cadence.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Db, Tx } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { updateReminderJob } from '../jobs/specs/update-reminder.job-spec.js';
import { readSetting, writeSetting } from '../repositories/settings.repository.js';
import { findCadence, listDueUpdates, saveCadence } from '../repositories/stakeholder-updates.repository.js';
import type { TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';

/**
 * The update cadence of major incidents (issue 15 item 6): how often the desk must tell people
 * (minutes per priority, an admin setting), kept per incident by the ticket-change pipeline's
 * `keep_update_cadence` follow-up, and reminded by a durable timer (`update-reminder.service.ts`).
 */

const SETTING = 'update_cadence';

export interface UpdateCadenceSettings {
  intervals: UpdateIntervals;
  graceMinutes: number;
}

export const DEFAULT_UPDATE_CADENCE: UpdateCadenceSettings = {
  intervals: DEFAULT_UPDATE_INTERVALS,
  graceMinutes: DEFAULT_OVERDUE_GRACE_MINUTES,
};

export async function getUpdateCadenceSettings(db: Db): Promise<UpdateCadenceSettings> {
  return (await readSetting<UpdateCadenceSettings>(db, SETTING)) ?? DEFAULT_UPDATE_CADENCE;
}

/** Applies from the next change of each incident (an update sent, a priority change): due times already set stay. */
export async function setUpdateCadenceSettings(
  deps: ServiceDeps,
  _actor: Actor,
  input: UpdateCadenceSettings,
): Promise<UpdateCadenceSettings> {
  const problems = updateIntervalProblems(input.intervals).map((p) => ({ field: `intervals.${p.field}`, message: p.message }));
  if (!Number.isInteger(input.graceMinutes) || input.graceMinutes < 0 || input.graceMinutes > 240) {
    problems.push({ field: 'graceMinutes', message: 'must be whole minutes from 0 to 240' });
  }
  if (problems.length > 0) {
    throw new AppError(
      'validation_failed',
      `The update cadence cannot be saved: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      {
        errors: problems,
      },
    );
  }
  const saved: UpdateCadenceSettings = { intervals: input.intervals, graceMinutes: input.graceMinutes };
  await writeSetting(deps.db, SETTING, saved, deps.clock.now());
  return saved;
}

/**
 * The pipeline's follow-up, in the change's transaction: the incident's next-due time after this
 * change, and a reminder timer at it. A restart counts from now; an update sent counts from it.
 */
export async function keepUpdateCadence(
  tx: Tx,
  ticket: TicketRow,
  followUp: Extract<FollowUp, { kind: 'keep_update_cadence' }>,
  at: Date,
): Promise<void> {
  const settings = await getUpdateCadenceSettings(tx);
  const current = await findCadence(tx, ticket.id);
  const cadenceSince = followUp.restart || !current ? (followUp.restart ? at : (ticket.majorSince ?? at)) : current.cadenceSince;
  const lastUpdateAt = followUp.updated ? at : (current?.lastUpdateAt ?? null);
  const nextDueAt = nextUpdateDue({
    priority: ticket.priority,
    open: ticket.kind === 'incident' && ticket.majorSince !== null && OPEN_STATES.includes(ticket.state),
    lastUpdateAt,
    cadenceSince,
    intervals: settings.intervals,
  });
  await saveCadence(tx, {
    ticketId: ticket.id,
    cadenceSince,
    lastUpdateAt,
    nextDueAt,
    remindedFor: current?.remindedFor ?? null,
    overdueFor: current?.overdueFor ?? null,
    updatedAt: at,
  });
  if (nextDueAt && nextDueAt.getTime() !== current?.nextDueAt?.getTime()) {
    await scheduleJob(
      tx,
      updateReminderJob,
      { ticketId: ticket.id, dueAt: nextDueAt.toISOString(), stage: 'due' },
      { runAt: nextDueAt, now: at },
    );
  }
}

export interface CadenceView {
  nextDueAt: Date | null;
  lastUpdateAt: Date | null;
  status: 'not_due' | 'due' | 'overdue';
}

export async function cadenceOf(db: Db, ticketId: string, now: Date): Promise<CadenceView> {
  const [row, settings] = await Promise.all([findCadence(db, ticketId), getUpdateCadenceSettings(db)]);
  const nextDueAt = row?.nextDueAt ?? null;
  return { nextDueAt, lastUpdateAt: row?.lastUpdateAt ?? null, status: updateStatus(now, nextDueAt, settings.graceMinutes) };
}

/** For the desk queue: every open incident with a next update due, and whether it is due or overdue now. */
export async function listUpdatesDue(deps: ServiceDeps) {
  const [rows, settings] = await Promise.all([listDueUpdates(deps.db, 200), getUpdateCadenceSettings(deps.db)]);
  const now = deps.clock.now();
  return rows.map((r) => ({ ...r, status: updateStatus(now, r.nextDueAt, settings.graceMinutes) }));
}
