import { bigint, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './directory.js';
import { tickets } from './tickets.js';

/**
 * What an import wrote (issue 16): per source record (a ServiceNow incident), the ticket it became
 * and the last update imported, so re-importing the same file changes nothing and a newer export
 * adds only what happened since. Written in the same transaction as the ticket.
 */
export const importedRecords = pgTable(
  'imported_records',
  {
    source: text('source').notNull(),
    sourceNumber: text('source_number').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** The source's update counter (`sys_mod_count`) of the last row imported. */
    modCount: integer('mod_count').notNull(),
    /** That row as read (core/import/servicenow.ts Snapshot): the next import continues the history from it. */
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.sourceNumber] })],
);

/**
 * One import at a time: the running one holds this single row and renews its lease as it goes;
 * a second is refused with who holds it and since when. An import killed halfway stops renewing,
 * so its lease runs out and the re-run takes over.
 */
export const importLock = pgTable('import_lock', {
  id: smallint('id').primaryKey(),
  holder: text('holder').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  leaseUntil: timestamp('lease_until', { withTimezone: true }).notNull(),
});

/**
 * An import started through Admin › Import and how far it got (issue 16): written as it goes, so
 * the page shows it from any server process and after a reload. `heartbeatAt` moves with every
 * progress write; a row still `running` whose heartbeat stopped longer than the import lock's
 * lease ago is an import that died (shown as interrupted; re-running the file finishes it).
 */
export const importRuns = pgTable(
  'import_runs',
  {
    id: uuid('id').primaryKey(),
    fileName: text('file_name').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    startedById: uuid('started_by_id').references(() => users.id),
    /** Who ran it where, when no signed-in person did (`firebreak import` on the command line). */
    startedFrom: text('started_from'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    state: text('state').$type<'running' | 'done' | 'failed'>().notNull(),
    phase: text('phase').$type<'checking' | 'writing'>().notNull(),
    percent: smallint('percent').notNull().default(0),
    rows: integer('rows').notNull().default(0),
    incidents: integer('incidents').notNull().default(0),
    /** The report once done (core/contracts/imports.ts ImportReport). */
    report: jsonb('report').$type<Record<string, unknown>>(),
    error: text('error'),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('import_runs_started_idx').on(t.startedAt)],
);
