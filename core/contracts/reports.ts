import { z } from 'zod';
import { KPI_IDS } from '../kpis/catalogue.js';
import { BACKLOG_BUCKETS } from '../kpis/volume.js';
import { OPEN_STATES, TICKET_KINDS } from '../vocabulary.js';
import { csvOf, Id, Timestamp } from './common.js';

export const KpiParams = z.strictObject({
  kpi: z.enum(KPI_IDS, { error: `must be one of: ${KPI_IDS.join(', ')}` }),
});

/** The filters every report takes; the dashboard's filters are these, and its drill-downs carry them to the desk queue. */
export const ReportQuery = z.strictObject({
  /** Start of the period (inclusive); default 30 days before `to`. */
  from: Timestamp.optional(),
  /** End of the period (exclusive); default now. */
  to: Timestamp.optional(),
  teamId: csvOf(Id).optional(),
  serviceId: Id.optional(),
  categoryId: Id.optional(),
  priority: csvOf(
    z.coerce.number().int().min(1, 'must be 1 (critical) to 5 (planning)').max(5, 'must be 1 (critical) to 5 (planning)'),
  ).optional(),
  kind: csvOf(z.enum(TICKET_KINDS)).optional(),
  /** The IANA time zone days are counted in (created vs resolved); default UTC. */
  timeZone: z.string().max(64).optional(),
  /** `csv` answers text/csv (so does `Accept: text/csv`). */
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional(),
});

const Rate = z.object({ total: z.number().int(), count: z.number().int(), rate: z.number().nullable() });
const Stats = z.object({ count: z.number().int(), meanMs: z.number().nullable(), medianMs: z.number().nullable() });

export const KpiResultSchemas = {
  'open-work': z.object({
    total: z.number().int(),
    cells: z.array(z.object({ priority: z.number().int(), state: z.enum(OPEN_STATES as [string, ...string[]]), count: z.number().int() })),
  }),
  'created-vs-resolved': z.object({ days: z.array(z.object({ day: z.string(), created: z.number().int(), resolved: z.number().int() })) }),
  'backlog-age': z.object({
    total: z.number().int(),
    buckets: z.array(
      z.object({
        bucket: z.enum(BACKLOG_BUCKETS.map((b) => b.bucket) as [string, ...string[]]),
        label: z.string(),
        count: z.number().int(),
      }),
    ),
    oldestOpenedAt: Timestamp.nullable(),
  }),
  'time-to-acknowledge': Stats.extend({ business: Stats }),
  'time-to-resolve': Stats.extend({ business: Stats }),
  'sla-compliance': Rate.extend({ breached: z.number().int() }),
  'first-contact-resolution': Rate,
  'reassignment-rate': Rate,
  'reopen-rate': Rate,
  satisfaction: z.object({
    count: z.number().int(),
    mean: z.number().nullable(),
    satisfiedRate: z.number().nullable(),
    distribution: z.array(z.object({ rating: z.number().int(), count: z.number().int() })),
  }),
  'major-incidents': z.object({
    count: z.number().int(),
    resolved: z.number().int(),
    meanTimeToResolveMs: z.number().nullable(),
    items: z.array(
      z.object({
        id: Id,
        number: z.string(),
        title: z.string(),
        priority: z.number().int(),
        majorSince: Timestamp,
        resolvedAt: Timestamp.nullable(),
        timeToResolveMs: z.number().nullable(),
      }),
    ),
  }),
} as const;

export const KpiReport = z.object({
  kpi: z.enum(KPI_IDS),
  label: z.string(),
  /** The one-line definition shown beside the figure. */
  definition: z.string(),
  from: Timestamp,
  to: Timestamp,
  timeZone: z.string(),
  /** The teams the figures cover: null for every team. */
  teamIds: z.array(Id).nullable(),
  generatedAt: Timestamp,
  result: z.union(Object.values(KpiResultSchemas) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]),
});

/** A report as CSV, or the JSON report. */
export const KpiReportOrCsv = z.union([KpiReport, z.string()]);

export const KpiCatalogue = z.object({
  items: z.array(z.object({ kpi: z.enum(KPI_IDS), label: z.string(), definition: z.string() })),
});
