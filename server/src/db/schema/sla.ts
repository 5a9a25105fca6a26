import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { BusinessCalendar } from '../../../../core/business-calendar.js';
import type { SlaPolicyMatch } from '../../../../core/sla-policy.js';
import { teams, users } from './directory.js';

/** Working hours in a time zone, with holidays: what SLA clocks count in (issue 4). */
export const businessCalendars = pgTable(
  'business_calendars',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    week: jsonb('week').$type<BusinessCalendar['week']>().notNull(),
    holidays: jsonb('holidays').$type<string[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('business_calendars_name_unique').on(sql`lower(${t.name})`)],
);

/** What "on time" means for the tickets a policy matches; the first active match by position applies. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    active: boolean('active').notNull().default(true),
    match: jsonb('match').$type<SlaPolicyMatch>().notNull(),
    /** Null: round the clock, in UTC. */
    calendarId: uuid('calendar_id').references(() => businessCalendars.id),
    firstResponseMinutes: integer('first_response_minutes'),
    resolutionMinutes: integer('resolution_minutes'),
    warnPercent: integer('warn_percent').notNull().default(75),
    /** On-hold reasons that stop the clock (waiting for the requester, typically). */
    pauseOnHoldReasons: jsonb('pause_on_hold_reasons').$type<string[]>().notNull(),
    /** On a breach, move the ticket to this (next-tier) team automatically. */
    breachEscalateToTeamId: uuid('breach_escalate_to_team_id').references(() => teams.id),
    /** On a breach, escalate hierarchically: alert the team's manager ... */
    breachEscalateToManager: boolean('breach_escalate_to_manager').notNull().default(false),
    /** ... or this named person (a service owner, a duty manager). */
    breachEscalateToUserId: uuid('breach_escalate_to_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('sla_policies_name_unique').on(sql`lower(${t.name})`)],
);
