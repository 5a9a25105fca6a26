import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { KpiId } from '../../../../core/kpis/catalogue.js';
import type { ReportSchedule, SavedReportFilters } from '../../../../core/kpis/saved-report.js';
import { users } from './directory.js';

/**
 * A person's saved report (issue 16): a name, the KPIs it shows and the filters they are read with,
 * and optionally a schedule on which it is e-mailed (HTML summary and CSV) to recipients.
 */
export const savedReports = pgTable(
  'saved_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    kpis: jsonb('kpis').$type<KpiId[]>().notNull(),
    filters: jsonb('filters').$type<SavedReportFilters>().notNull(),
    /** Null: not e-mailed. */
    schedule: text('schedule').$type<ReportSchedule>(),
    recipients: jsonb('recipients').$type<string[]>().notNull(),
    /** When the next scheduled e-mail is due (its timer job names this instant); null when not scheduled. */
    nextSendAt: timestamp('next_send_at', { withTimezone: true }),
    /** Raised on every edit: a timer set for an older version of the schedule does nothing. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('saved_reports_owner_name_idx').on(t.ownerId, t.name)],
);
