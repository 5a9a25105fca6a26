import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import type { JobSpec } from '../job-spec.js';
import { scheduleJob } from '../schedule.js';
import { alertResolveJob } from './alert-resolve.job-spec.js';
import { attachmentPartSweepJob } from './attachment-sweep.job-spec.js';
import { autoCloseJob } from './auto-close.job-spec.js';
import { checkRunJob } from './check-run.job-spec.js';
import { heldPageJob } from './held-page.job-spec.js';
import { deliverJob } from './notification-deliver.job-spec.js';
import { digestJob } from './notification-digest.job-spec.js';
import { pageTimeoutJob } from './page-timeout.job-spec.js';
import { slaCheckJob } from './sla-check.job-spec.js';

/**
 * Rows written before job kinds were typed must keep working after an upgrade: the same
 * payloads parse, and scheduling the same timer again derives the same id (so it is not
 * scheduled twice). Each row below is what the old code wrote, id, payload and attempts.
 */
const ticketId = '0b7f3c52-1d4e-4a8b-9c6d-2e5f7a9b1c3d';
const otherId = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
const now = new Date('2026-05-04T10:00:00.000Z');
const later = new Date('2026-05-04T10:07:30.000Z');

const legacy: { spec: JobSpec; id: string; payload: Record<string, unknown>; maxAttempts: number; runAt: Date }[] = [
  { spec: deliverJob, id: `notification.deliver:${otherId}`, payload: { notificationId: otherId }, maxAttempts: 12, runAt: now },
  {
    spec: digestJob,
    // bucket = floor(now / 2 min), due at the end of the bucket
    id: `notification.digest:${ticketId}:${otherId}:${Math.floor(now.getTime() / 120_000)}`,
    payload: { ticketId, userId: otherId },
    maxAttempts: 12,
    runAt: new Date((Math.floor(now.getTime() / 120_000) + 1) * 120_000),
  },
  {
    spec: autoCloseJob,
    id: `ticket.auto_close:${ticketId}:${now.toISOString()}`,
    payload: { ticketId, resolvedAt: now.toISOString(), days: 7 },
    maxAttempts: 8,
    runAt: new Date(now.getTime() + 7 * 86_400_000),
  },
  { spec: checkRunJob, id: `check.run:${otherId}:${later.getTime()}`, payload: { checkId: otherId }, maxAttempts: 3, runAt: later },
  {
    spec: alertResolveJob,
    id: `alert-resolve:${ticketId}:${now.getTime()}`,
    payload: { ticketId, integrationId: otherId },
    maxAttempts: 8,
    runAt: later,
  },
  {
    spec: slaCheckJob,
    id: `sla.check:${ticketId}:resolution:warning:${later.toISOString()}`,
    payload: { ticketId, target: 'resolution', kind: 'warning' },
    maxAttempts: 8,
    runAt: later,
  },
  {
    spec: pageTimeoutJob,
    id: `page.timeout:${otherId}:1:2`,
    payload: { pageId: otherId, round: 1, level: 2 },
    maxAttempts: 8,
    runAt: later,
  },
  {
    spec: heldPageJob,
    id: `page.held:${ticketId}:${now.getTime()}`,
    payload: { ticketId, heldSince: now.toISOString() },
    maxAttempts: 8,
    runAt: later,
  },
  {
    spec: heldPageJob,
    id: `page.held:${ticketId}:${now.getTime()}:alert`,
    payload: { ticketId, heldSince: now.toISOString(), corroboratedBy: 'INC0000042' },
    maxAttempts: 8,
    runAt: later,
  },
];

describe('job specs and the rows the previous version wrote', () => {
  it.each(legacy.map((row) => [row.id, row]))('%s: same id, same attempts, and its payload still parses', (_id, row) => {
    expect(row.spec.payload.parse(row.payload)).toEqual(row.payload);
    expect(row.spec.idOf(row.payload, { runAt: row.runAt, now })).toBe(row.id);
    expect(row.spec.maxAttempts).toBe(row.maxAttempts);
  });

  it('the orphan sweep is one row per instant, whoever asks for it', () => {
    const at = new Date('2026-05-04T10:00:00.000Z');
    expect(attachmentPartSweepJob.idOf({}, { runAt: at, now })).toBe(attachmentPartSweepJob.idOf({}, { runAt: at, now: later }));
  });

  it('refuses payloads a handler could not use', () => {
    expect(slaCheckJob.payload.safeParse({ ticketId, target: 'resolution', kind: 'overdue' }).success).toBe(false);
    expect(autoCloseJob.payload.safeParse({ ticketId, resolvedAt: 'yesterday', days: 7 }).success).toBe(false);
    expect(deliverJob.payload.safeParse({ notificationId: 'null' }).success).toBe(false);
  });

  it('types scheduling from the spec: a payload of the wrong shape does not compile (checked by tsc, never run)', () => {
    const tx = {} as Db;
    const timing = { runAt: later, now };
    const wrongShapes = () => [
      // @ts-expect-error an SLA timer is a warning or a breach
      scheduleJob(tx, slaCheckJob, { ticketId, target: 'resolution', kind: 'overdue' }, timing),
      // @ts-expect-error a page timeout names its page, not its ticket
      scheduleJob(tx, pageTimeoutJob, { ticketId, round: 0, level: 0 }, timing),
      // @ts-expect-error the resolution instant is an ISO string, as the old rows hold it
      scheduleJob(tx, autoCloseJob, { ticketId, resolvedAt: now, days: 7 }, timing),
    ];
    expect(wrongShapes).toBeTypeOf('function');
  });
});
