import { z } from 'zod';
import { KPI_IDS } from '../kpis/catalogue.js';
import { REPORT_SCHEDULES } from '../kpis/saved-report.js';
import { TICKET_KINDS } from '../vocabulary.js';
import { Id, Timestamp } from './common.js';

/** At most this many saved reports per person, and recipients per report. */
export const MAX_SAVED_REPORTS = 50;
export const MAX_REPORT_RECIPIENTS = 20;

export const SavedReportFilters = z.strictObject({
  periodDays: z.number().int().min(1, 'must be 1 day or more').max(731, 'must be at most 731 days'),
  teamId: z.array(Id).max(50).optional(),
  serviceId: Id.optional(),
  categoryId: Id.optional(),
  priority: z
    .array(z.number().int().min(1, 'must be 1 (critical) to 5 (planning)').max(5, 'must be 1 (critical) to 5 (planning)'))
    .optional(),
  kind: z.array(z.enum(TICKET_KINDS)).optional(),
  timeZone: z.string().max(64).optional(),
});

export const SaveReport = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  kpis: z
    .array(z.enum(KPI_IDS, { error: `must be KPIs among: ${KPI_IDS.join(', ')}` }))
    .min(1, 'must name at least one KPI')
    .max(KPI_IDS.length),
  filters: SavedReportFilters,
  /** Null: not e-mailed. */
  schedule: z.enum(REPORT_SCHEDULES, { error: 'must be weekly, monthly or null' }).nullable().default(null),
  /** E-mail addresses of Firebreak staff (agents, managers, admins) who get the scheduled mail. */
  recipients: z
    .array(z.email({ error: 'must be e-mail addresses' }).max(254))
    .max(MAX_REPORT_RECIPIENTS, `may hold at most ${MAX_REPORT_RECIPIENTS} addresses`)
    .default([]),
});

export const SavedReport = z.object({
  id: Id,
  name: z.string(),
  kpis: z.array(z.enum(KPI_IDS)),
  filters: SavedReportFilters,
  schedule: z.enum(REPORT_SCHEDULES).nullable(),
  /** How often, in words ("Every Monday"); null when not scheduled. */
  scheduleLabel: z.string().nullable(),
  recipients: z.array(z.string()),
  nextSendAt: Timestamp.nullable(),
  owner: z.object({ id: Id, name: z.string() }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
