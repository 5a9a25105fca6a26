import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { INVESTIGATION_STATUSES } from '../../../../core/vocabulary.js';
import { users } from './directory.js';
import { tickets } from './tickets.js';

/**
 * The response roster an admin defines (issue 14): incident manager, technical manager, … Each
 * role has a description, a short checklist for its holder, whether only one person may hold it
 * on an incident at a time, and whether being given it pages the person.
 */
export const incidentRoles = pgTable('incident_roles', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** A stable name for the defaults Firebreak knows of (`incident_manager`, `technical_manager`); null for an admin's own. */
  key: text('key').unique(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  checklist: jsonb('checklist').$type<string[]>().notNull().default([]),
  singleHolder: boolean('single_holder').notNull().default(true),
  pages: boolean('pages').notNull().default(false),
  position: integer('position').notNull().default(0),
  /** A retired role keeps its history on past incidents and cannot be assigned any more. */
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * Who holds which role on which incident, from when to when. A hand-over ends one row and
 * starts the next at the same instant. `single_holder` is copied from the role when assigned, so
 * the database itself refuses a second current holder of a single-holder role.
 */
export const incidentRoleAssignments = pgTable(
  'incident_role_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    roleId: uuid('role_id')
      .notNull()
      .references(() => incidentRoles.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    singleHolder: boolean('single_holder').notNull(),
    since: timestamp('since', { withTimezone: true }).notNull(),
    assignedById: uuid('assigned_by_id').references(() => users.id),
    until: timestamp('until', { withTimezone: true }),
    endedById: uuid('ended_by_id').references(() => users.id),
  },
  (t) => [
    uniqueIndex('incident_role_single_holder_idx').on(t.ticketId, t.roleId).where(sql`${t.until} IS NULL AND ${t.singleHolder}`),
    uniqueIndex('incident_role_holder_idx').on(t.ticketId, t.roleId, t.userId).where(sql`${t.until} IS NULL`),
    index('incident_role_person_idx').on(t.userId).where(sql`${t.until} IS NULL`),
    index('incident_role_ticket_idx').on(t.ticketId, t.since),
  ],
);

/** One line of enquiry on a major incident: an owner (and helpers), a hypothesis, findings, a conclusion. */
export const investigations = pgTable(
  'investigations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    hypothesis: text('hypothesis').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    helperIds: jsonb('helper_ids').$type<string[]>().notNull().default([]),
    status: text('status', { enum: INVESTIGATION_STATUSES }).notNull().default('open'),
    conclusion: text('conclusion'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdById: uuid('created_by_id').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('investigations_ticket_idx').on(t.ticketId, t.createdAt)],
);

/** An investigation's running log, appended to and never rewritten. */
export const investigationFindings = pgTable(
  'investigation_findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    investigationId: uuid('investigation_id')
      .notNull()
      .references(() => investigations.id),
    authorId: uuid('author_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    body: text('body').notNull(),
  },
  (t) => [index('investigation_findings_idx').on(t.investigationId, t.at)],
);

/** An action handed out during a major incident: owner, due time, done. */
export const incidentTasks = pgTable(
  'incident_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    title: text('title').notNull(),
    ownerId: uuid('owner_id').references(() => users.id),
    dueAt: timestamp('due_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneById: uuid('done_by_id').references(() => users.id),
    /** When the overdue flag went to the incident manager (once per due time). */
    overdueFlaggedAt: timestamp('overdue_flagged_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdById: uuid('created_by_id').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('incident_tasks_ticket_idx').on(t.ticketId, t.createdAt)],
);

/** An escalation or resolution meeting: when, where (a bridge link), who, agenda, notes, decisions. */
export const incidentMeetings = pgTable(
  'incident_meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    title: text('title').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    link: text('link'),
    attendeeIds: jsonb('attendee_ids').$type<string[]>().notNull().default([]),
    agenda: text('agenda').notNull().default(''),
    notes: text('notes').notNull().default(''),
    decisions: text('decisions').notNull().default(''),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdById: uuid('created_by_id').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('incident_meetings_ticket_idx').on(t.ticketId, t.startsAt)],
);
