import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ASSIGNMENT_STRATEGIES } from '../../../../core/fair-assignment.js';
import type { NotificationPreferences } from '../../../../core/notification-rules.js';
import { roleEnum } from './enums.js';
import { escalationPolicies, onCallSchedules } from './oncall.js';
import { businessCalendars } from './sla.js';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: roleEnum('role').notNull(),
    active: boolean('active').notNull().default(true),
    timeZone: text('time_zone').notNull().default('UTC'),
    organisation: text('organisation'),
    /** scrypt hash; null for people who never sign in with a password (e.g. e-mail-only requesters). */
    passwordHash: text('password_hash'),
    /** Set by an admin's reset (a temporary password): the person must choose a new one before anything else. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    /** The person's own choice: e-mail me about my tickets (replies, resolutions, assignments). */
    emailNotifications: boolean('email_notifications').notNull().default(true),
    /** Per reason group, which channels the person wants (absent: both); e-mail also needs `emailNotifications`. */
    notificationPreferences: jsonb('notification_preferences').$type<NotificationPreferences>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(sql`lower(${t.email})`),
    // People search (the desk's requester picker, "Becker" in the global search) is a substring
    // match on name and e-mail: trigram indexes serve ILIKE '%…%' (pg_trgm, migration 0029).
    index('users_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('users_email_trgm_idx').using('gin', sql`${t.email} gin_trgm_ops`),
  ],
);

export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    managerId: uuid('manager_id').references(() => users.id),
    /** Who is paged for the team's critical incidents. */
    escalationPolicyId: uuid('escalation_policy_id').references((): AnyPgColumn => escalationPolicies.id, { onDelete: 'set null' }),
    /**
     * Fair assignment (issue 18, item 3): a ticket that reaches the team with nobody assigned goes
     * to a member by this strategy; null: it waits in the team's queue.
     */
    assignmentStrategy: text('assignment_strategy', { enum: ASSIGNMENT_STRATEGIES }),
    /** A member holding this many open tickets is passed over; null: no cap. */
    assignmentCap: integer('assignment_cap'),
    /** When set, only members on call in it now (any layer, or an override) are on shift. */
    shiftScheduleId: uuid('shift_schedule_id').references((): AnyPgColumn => onCallSchedules.id, { onDelete: 'set null' }),
    /** When set, nobody is assigned fairly outside its working hours: tickets wait in the queue. */
    workingHoursCalendarId: uuid('working_hours_calendar_id').references((): AnyPgColumn => businessCalendars.id, {
      onDelete: 'set null',
    }),
    /** Who took the team's previous fairly assigned ticket: round robin continues after them. */
    lastFairAssigneeId: uuid('last_fair_assignee_id').references((): AnyPgColumn => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('teams_name_unique').on(sql`lower(${t.name})`)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user_idx').on(t.userId)],
);

/** A service users consume; a row with a parent is one of that service's components. */
export const services = pgTable(
  'services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    parentId: uuid('parent_id').references((): AnyPgColumn => services.id),
    ownerTeamId: uuid('owner_team_id').references(() => teams.id),
    /** Who is paged for this service's critical incidents, before the team's policy. */
    escalationPolicyId: uuid('escalation_policy_id').references((): AnyPgColumn => escalationPolicies.id, { onDelete: 'set null' }),
    /**
     * Offered in the portal's pickers. Infrastructure components (a database cluster, the
     * firewalls) mean nothing to a requester: admins hide them; staff still pick them.
     */
    visibleToRequesters: boolean('visible_to_requesters').notNull().default(true),
    /** Shown as a component on the public status page (issue 15); off until an admin marks it. */
    onStatusPage: boolean('on_status_page').notNull().default(false),
    /** A storm on this service declares a major incident by itself, instead of asking the desk (issue 14). */
    declareByPolicy: boolean('declare_by_policy').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('services_name_unique').on(sql`lower(${t.name})`)],
);

/** `serviceId` depends on `dependsOnId`: an impact on the latter propagates to the former. */
export const serviceDependencies = pgTable(
  'service_dependencies',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    dependsOnId: uuid('depends_on_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.dependsOnId] })],
);

export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => categories.id),
    defaultTeamId: uuid('default_team_id').references(() => teams.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('categories_parent_name_unique').on(
      sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`lower(${t.name})`,
    ),
  ],
);
