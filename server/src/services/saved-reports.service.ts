import type { z } from 'zod';
import { MAX_SAVED_REPORTS, type SaveReport } from '../../../core/contracts/saved-reports.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import type { KpiFilter } from '../../../core/kpis/kpi-ticket.js';
import { type ReportMailPart, reportMail } from '../../../core/kpis/report-mail.js';
import { nextSendAt, periodBefore } from '../../../core/kpis/saved-report.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import type { Tx } from '../db/client.js';
import { scheduleJob, scheduleJobs } from '../jobs/schedule.js';
import { deliverJob } from '../jobs/specs/notification-deliver.job-spec.js';
import { reportSendJob } from '../jobs/specs/report-send.job-spec.js';
import { insertNotifications } from '../repositories/notifications.repository.js';
import {
  countSavedReportsOf,
  deleteSavedReport,
  findSavedReport,
  insertSavedReport,
  listSavedReportsOf,
  lockSavedReport,
  type SavedReportRow,
  savedReportNameTaken,
  staffAddressesAmong,
  updateSavedReport,
} from '../repositories/saved-reports.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { countPendingTicketsNow } from './kpi-rollup-drain.service.js';
import { computeKpiSql, reportScope, reportTimeZone } from './reports.service.js';

type SaveReportInput = z.infer<typeof SaveReport>;

/**
 * Saved reports (issue 16): each person keeps their own (name, KPIs, filters), and may have one
 * e-mailed weekly or monthly to staff addresses — an HTML summary and the figures as CSV, sent
 * through the notification outbox by a durable timer (`report.send`). The figures are computed
 * with the owner's scope when sent: an agent's report covers their own teams only.
 */
export function listMyReports(deps: ServiceDeps, actor: Actor) {
  return listSavedReportsOf(deps.db, actor.id);
}

/** The owner's report, or not found (another person's report is not shown to exist). */
async function ownReport(deps: ServiceDeps, actor: Actor, id: string) {
  const found = await findSavedReport(deps.db, id);
  if (!found || found.report.ownerId !== actor.id) throw notFound('saved report');
  return found;
}

export async function getMyReport(deps: ServiceDeps, actor: Actor, id: string) {
  return ownReport(deps, actor, id);
}

/** Checks what a definition may hold for this person; throws a problem naming the field. */
async function validated(deps: ServiceDeps, actor: Actor, input: SaveReportInput): Promise<SaveReportInput> {
  // Naming a team outside an agent's own is refused here, as it is when reading a report.
  await reportScope(deps.db, actor, input.filters.teamId);
  const timeZone = reportTimeZone(input.filters.timeZone);
  const recipients = [...new Set(input.recipients.map((r) => r.toLowerCase()))];
  if (input.schedule !== null && recipients.length === 0)
    throw fieldError('validation_failed', 'recipients', 'must name at least one address to e-mail the report to');
  const staff = await staffAddressesAmong(deps.db, recipients);
  const outside = recipients.filter((r) => !staff.has(r));
  if (outside.length > 0)
    throw fieldError(
      'validation_failed',
      'recipients',
      `reports are mailed to Firebreak staff only; not a staff member's address: ${outside.join(', ')}`,
    );
  return { ...input, recipients, filters: { ...input.filters, timeZone } };
}

export async function createMyReport(deps: ServiceDeps, actor: Actor, input: SaveReportInput) {
  const clean = await validated(deps, actor, input);
  const now = deps.clock.now();
  const id = await deps.db.transaction(async (tx) => {
    if ((await countSavedReportsOf(tx, actor.id)) >= MAX_SAVED_REPORTS)
      throw new AppError('unprocessable', `You already have ${MAX_SAVED_REPORTS} saved reports; remove one first.`);
    if (await savedReportNameTaken(tx, actor.id, clean.name))
      throw fieldError('conflict', 'name', 'you already have a saved report of this name');
    const next = clean.schedule ? nextSendAt(clean.schedule, now, clean.filters.timeZone ?? 'UTC') : null;
    const row = await insertSavedReport(tx, {
      ownerId: actor.id,
      name: clean.name,
      kpis: clean.kpis,
      filters: clean.filters,
      schedule: clean.schedule,
      recipients: clean.recipients,
      nextSendAt: next,
      createdAt: now,
      updatedAt: now,
    });
    await scheduleSend(tx, row, now);
    return row.id;
  });
  return ownReport(deps, actor, id);
}

export async function updateMyReport(deps: ServiceDeps, actor: Actor, id: string, input: SaveReportInput) {
  await ownReport(deps, actor, id);
  const clean = await validated(deps, actor, input);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const current = await lockSavedReport(tx, id);
    if (!current) throw notFound('saved report');
    if (await savedReportNameTaken(tx, actor.id, clean.name, id))
      throw fieldError('conflict', 'name', 'you already have a saved report of this name');
    const timeZone = clean.filters.timeZone ?? 'UTC';
    // The next send keeps its instant unless the schedule or its time zone changed.
    const same = current.schedule === clean.schedule && (current.filters.timeZone ?? 'UTC') === timeZone;
    const next = clean.schedule ? (same && current.nextSendAt ? current.nextSendAt : nextSendAt(clean.schedule, now, timeZone)) : null;
    const row = await updateSavedReport(tx, id, {
      name: clean.name,
      kpis: clean.kpis,
      filters: clean.filters,
      schedule: clean.schedule,
      recipients: clean.recipients,
      nextSendAt: next,
      updatedAt: now,
    });
    await scheduleSend(tx, row, now);
  });
  return ownReport(deps, actor, id);
}

export async function deleteMyReport(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  await ownReport(deps, actor, id);
  // Its timer, if any, finds no report and does nothing.
  await deleteSavedReport(deps.db, id);
}

/** The durable timer for the report's next send (one per instant: its id names it). */
async function scheduleSend(tx: Tx, report: SavedReportRow, now: Date): Promise<void> {
  if (!report.schedule || !report.nextSendAt) return;
  await scheduleJob(tx, reportSendJob, { reportId: report.id, dueAt: report.nextSendAt.toISOString() }, { runAt: report.nextSendAt, now });
}

/**
 * The `report.send` timer: in one transaction with the report locked, computes its KPIs over the
 * period ending at the due time (as its owner may see them), writes one outbox mail per recipient
 * (HTML summary, CSV attached), moves the next send on and sets its timer. Sends only while the
 * report still names this instant as next: a repeated run (after a crash between commit and the
 * job's completion) or a timer left by an edit finds it moved and sends nothing.
 */
export async function sendScheduledReport(
  deps: ServiceDeps,
  channels: { publicUrl: string },
  payload: { reportId: string; dueAt: string },
): Promise<'sent' | 'nothing_due' | 'stopped'> {
  // Tickets created up to now are counted before the figures are read (outside the send's
  // transaction, which holds the report's lock).
  await countPendingTicketsNow(deps.db);
  return deps.db.transaction(async (tx) => {
    const report = await lockSavedReport(tx, payload.reportId);
    if (!report?.schedule || report.nextSendAt?.toISOString() !== payload.dueAt) return 'nothing_due';
    const now = deps.clock.now();
    const dueAt = report.nextSendAt;
    const owner = await findUserById(tx, report.ownerId);
    const actor: Actor | null = owner?.active ? { id: owner.id, role: owner.role } : null;
    let teamIds: string[] | null = null;
    try {
      if (!actor || !isStaff(actor)) throw new AppError('forbidden', 'The owner may no longer read reports.');
      teamIds = await reportScope(tx, actor, report.filters.teamId);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'forbidden') throw err;
      // The owner left, or left the teams the report names: the schedule stops rather than mail what they may not see.
      await updateSavedReport(tx, report.id, { nextSendAt: null, schedule: null, updatedAt: now });
      return 'stopped';
    }
    const timeZone = report.filters.timeZone ?? 'UTC';
    const period = periodBefore(dueAt, report.filters.periodDays, timeZone);
    const filter: KpiFilter = {
      teamIds,
      serviceId: report.filters.serviceId,
      categoryId: report.filters.categoryId,
      priority: report.filters.priority,
      kind: report.filters.kind,
    };
    const parts: ReportMailPart[] = [];
    for (const kpi of report.kpis) parts.push({ kpi, result: await computeKpiSql(tx, kpi, filter, period, dueAt, timeZone) });
    const mail = reportMail({ name: report.name, period, timeZone, parts, dashboardUrl: `${channels.publicUrl}/desk/dashboard` });
    // Someone removed from the staff since the report was saved gets nothing.
    const staff = await staffAddressesAmong(tx, report.recipients);
    const rows = await insertNotifications(
      tx,
      report.recipients
        .filter((r) => staff.has(r))
        .map((address) => ({
          ticketId: null,
          userId: null,
          channel: 'email' as const,
          address,
          reason: 'scheduled_report',
          payload: {
            reportId: report.id,
            html: mail.html,
            attachments: [{ filename: mail.csvFileName, content: mail.csv, contentType: 'text/csv; charset=utf-8' }],
          },
          subject: mail.subject,
          bodyText: mail.text,
          createdAt: now,
        })),
    );
    await scheduleJobs(
      tx,
      deliverJob,
      rows.map((n) => ({ payload: { notificationId: n.id }, runAt: now })),
      now,
    );
    const next = nextSendAt(report.schedule, dueAt, timeZone);
    const moved = await updateSavedReport(tx, report.id, { nextSendAt: next });
    await scheduleSend(tx, moved, now);
    return 'sent';
  });
}
