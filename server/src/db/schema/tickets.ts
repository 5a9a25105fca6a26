import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { categories, services, teams, users } from './directory.js';
import {
  channelEnum,
  onHoldReasonEnum,
  resolutionCodeEnum,
  scopeEnum,
  ticketKindEnum,
  ticketStateEnum,
  timelineEventTypeEnum,
} from './enums.js';
import { slaPolicies } from './sla.js';

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: ticketKindEnum('kind').notNull(),
    number: text('number').notNull().unique(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => users.id),
    reportedById: uuid('reported_by_id')
      .notNull()
      .references(() => users.id),
    channel: channelEnum('channel').notNull(),
    serviceId: uuid('service_id').references(() => services.id),
    categoryId: uuid('category_id').references(() => categories.id),
    subcategoryId: uuid('subcategory_id').references(() => categories.id),
    impact: smallint('impact').notNull(),
    urgency: smallint('urgency').notNull(),
    priority: smallint('priority').notNull(),
    priorityOverridden: boolean('priority_overridden').notNull().default(false),
    priorityOverrideReason: text('priority_override_reason'),
    scope: scopeEnum('scope').notNull(),
    teamId: uuid('team_id').references(() => teams.id),
    assigneeId: uuid('assignee_id').references(() => users.id),
    state: ticketStateEnum('state').notNull(),
    onHoldReason: onHoldReasonEnum('on_hold_reason'),
    resolutionCode: resolutionCodeEnum('resolution_code'),
    resolutionNotes: text('resolution_notes'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** A requester-reported P1 whose paging waits for a staff member to confirm it (issue 12); null otherwise. */
    pageHeldSince: timestamp('page_held_since', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    /** Who made the latest change (null: Firebreak itself, e.g. an automatic close); named in a 412. */
    updatedById: uuid('updated_by_id').references(() => users.id),
    /** How many times the ticket was escalated (functionally or hierarchically). */
    escalationLevel: smallint('escalation_level').notNull().default(0),
    /**
     * How many times the ticket moved from one owner to another after its first assignment: to
     * another team, or from one assignee to another or back to the queue (ServiceNow's
     * `reassignment_count`: "the group or the support analysts changed"). One per change.
     */
    reassignmentCount: integer('reassignment_count').notNull().default(0),
    /** How many times the ticket came back from resolved or closed to work (ServiceNow's `reopen_count`), for KPIs. */
    reopenCount: integer('reopen_count').notNull().default(0),
    /** Public replies written by staff (comments the requester sees): first-contact resolution allows at most one. */
    staffReplyCount: integer('staff_reply_count').notNull().default(0),
    /**
     * Business hours from opened to the first staff response, and to resolution, counted in the
     * calendar of the ticket's SLA policy (round the clock without one); null until there is such a
     * time. Kept by the ticket-change pipeline (core/kpis/ticket-kpi-facts.ts) so reports aggregate
     * them in SQL instead of walking calendars per ticket.
     */
    businessAcknowledgeMs: bigint('business_acknowledge_ms', { mode: 'number' }),
    businessResolveMs: bigint('business_resolve_ms', { mode: 'number' }),
    /** An SLA target of the ticket was breached (an `sla_breached` event on its timeline): SLA compliance and the queue filter. */
    slaBreached: boolean('sla_breached').notNull().default(false),
    /** The SLA policy that applies, chosen when reported and again when priority, kind or service change. */
    slaPolicyId: uuid('sla_policy_id').references(() => slaPolicies.id),
    /** The next SLA due time (running or breached targets), kept by every write that moves it: queues sort and badge by it. */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    /** For an incident promoted from a disturbance: that disturbance (its history stays on it). */
    promotedFromId: uuid('promoted_from_id').references((): AnyPgColumn => tickets.id),
    /**
     * Since when this incident is a major incident (issue 14): declared, made global, or by a storm
     * policy; null for every other ticket. Roles, investigations, tasks, meetings and the completion
     * checklist belong to major incidents.
     */
    majorSince: timestamp('major_since', { withTimezone: true }),
    /** The incident this ticket is a child of (a duplicate report of a major incident); it follows its resolution. */
    parentId: uuid('parent_id').references((): AnyPgColumn => tickets.id),
    /** A duplicate merged into another ticket (closed with code `duplicate`): the survivor. */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => tickets.id),
    /** How many people are affected (ticket_affected_people), kept by the pipeline's writers; it feeds impact. */
    affectedCount: integer('affected_count').notNull().default(0),
    /** A major incident's root cause: recorded when an investigation is confirmed, editable (issue 14). */
    rootCause: text('root_cause'),
    /**
     * Imported tickets (issue 16): the source's columns Firebreak has no field for (`u_symptom`,
     * `location`, `cmdb_ci`, …) and the original values of mapped ones (`incident_state`,
     * `contact_type`, `made_sla`), as exported. Null for tickets made here.
     */
    sourceAttributes: jsonb('source_attributes').$type<Record<string, string>>(),
    /** The number the ticket had in the tool it was imported from, where that number was taken here; search finds it. */
    externalReference: text('external_reference'),
    /** An incident's problem (issue 17): the problem investigating its underlying cause; many incidents, one problem. Incidents only. */
    problemId: uuid('problem_id').references((): AnyPgColumn => tickets.id),
    /** A problem's workaround (issue 17): how to restore service until the cause is removed. Problems only. */
    workaround: text('workaround'),
    /** Since when a problem is a known error (its workaround recorded and published to the desk); null otherwise. Problems only. */
    knownErrorAt: timestamp('known_error_at', { withTimezone: true }),
    /**
     * A problem's workaround written for requesters (issue 17): `workaround` is for staff, so the
     * portal's deflection shows this text alone, and a known error without it is not shown there.
     */
    publicWorkaround: text('public_workaround'),
  },
  (t) => [
    index('tickets_state_priority_idx').on(t.state, t.priority, t.openedAt),
    // The queues people look at all day are open tickets by priority, overall and per team:
    // partial indexes in exactly that order let a page be read without sorting.
    index('tickets_open_priority_idx')
      .on(t.priority, t.openedAt, t.id)
      .where(sql`${t.state} IN ('new', 'assigned', 'in_progress', 'on_hold')`),
    index('tickets_open_team_priority_idx')
      .on(t.teamId, t.priority, t.openedAt, t.id)
      .where(sql`${t.state} IN ('new', 'assigned', 'in_progress', 'on_hold')`),
    // "Assigned to me": one person's open tickets by priority. Without it a page walked the open
    // queue testing each ticket's assignee (1 in 40 matched) or sorted all of that person's open
    // tickets (issue 19, bench/lists.ts). Assigned ones only: "Unassigned" (IS NULL) cannot read
    // this order from it (PostgreSQL sorts, 8 ms at 100,000), so it keeps walking the open queue.
    index('tickets_open_assignee_priority_idx')
      .on(t.assigneeId, t.priority, t.openedAt, t.id)
      .where(sql`${t.assigneeId} IS NOT NULL AND ${t.state} IN ('new', 'assigned', 'in_progress', 'on_hold')`),
    // "Recently resolved": finished tickets, last changed first. The plain updated_at index walked
    // past every open ticket first (they are the most recently changed): 21,762 rows skipped for
    // a page at 100,000 tickets, 548 ms.
    index('tickets_finished_updated_idx').on(t.updatedAt, t.id).where(sql`${t.state} IN ('resolved', 'closed')`),
    // "Breaching soon": open tickets with a running clock, soonest first.
    index('tickets_open_sla_due_idx')
      .on(t.slaDueAt, t.id)
      .where(sql`${t.slaDueAt} IS NOT NULL AND ${t.state} IN ('new', 'assigned', 'in_progress', 'on_hold')`),
    index('tickets_opened_idx').on(t.openedAt, t.id),
    // Queue filters on imported tickets' source attributes (attr=location:Paris) test containment.
    index('tickets_source_attributes_idx').using('gin', t.sourceAttributes.op('jsonb_path_ops')),
    // Reports read the tickets resolved in a period (time to resolve, SLA compliance, rates).
    index('tickets_resolved_idx').on(t.resolvedAt).where(sql`${t.resolvedAt} IS NOT NULL`),
    // ... and the tickets first answered in a period (time to acknowledge), and the major incidents declared in one.
    index('tickets_first_response_idx').on(t.firstResponseAt).where(sql`${t.firstResponseAt} IS NOT NULL`),
    index('tickets_major_since_idx').on(t.majorSince).where(sql`${t.majorSince} IS NOT NULL`),
    index('tickets_updated_idx').on(t.updatedAt, t.id),
    index('tickets_team_state_idx').on(t.teamId, t.state),
    index('tickets_assignee_state_idx').on(t.assigneeId, t.state),
    index('tickets_requester_idx').on(t.requesterId, t.openedAt),
    index('tickets_service_idx').on(t.serviceId),
    // Storm detection counts a service's reports in a sliding window (issue 14).
    index('tickets_service_opened_idx').on(t.serviceId, t.openedAt),
    index('tickets_category_idx').on(t.categoryId),
    index('tickets_parent_idx').on(t.parentId).where(sql`${t.parentId} IS NOT NULL`),
    index('tickets_problem_idx').on(t.problemId).where(sql`${t.problemId} IS NOT NULL`),
    // Known errors shown on incidents: few rows, read by service or category on every incident page.
    index('tickets_known_error_idx').on(t.serviceId, t.categoryId).where(sql`${t.knownErrorAt} IS NOT NULL`),
    index('tickets_search_idx').using('gin', sql`to_tsvector('simple', ${t.number} || ' ' || ${t.title} || ' ' || ${t.description})`),
    // A partial number ("169" for INC0000169) is a substring match: a trigram index serves it.
    index('tickets_number_trgm_idx').using('gin', sql`${t.number} gin_trgm_ops`),
    index('tickets_external_reference_idx').on(sql`lower(${t.externalReference})`).where(sql`${t.externalReference} IS NOT NULL`),
  ],
);

/** How someone came to be affected by an incident. */
export const AFFECTED_VIA = ['me_too', 'child', 'merge'] as const;

/**
 * The people affected by an incident (issue 14): who pressed *Me too* on the known problem,
 * the requesters of its children and of duplicates merged into it. One row per person.
 */
export const ticketAffectedPeople = pgTable(
  'ticket_affected_people',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    via: text('via', { enum: AFFECTED_VIA }).notNull(),
    /** The child or duplicate that made them affected (null for Me too). */
    sourceTicketId: uuid('source_ticket_id').references((): AnyPgColumn => tickets.id),
    since: timestamp('since', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] })],
);

/**
 * The timeline: append-only. The database itself refuses UPDATE and DELETE on this table
 * (see the trigger in the migrations), so an audit entry cannot be rewritten even by a bug.
 */
export const timelineEvents = pgTable(
  'timeline_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    type: timelineEventTypeEnum('type').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** public: the requester sees it; internal: agents only (work notes). */
    internal: boolean('internal').notNull(),
    body: text('body'),
    /** [{ field, from, to }] for field, state and assignment changes. */
    changes: jsonb('changes').$type<{ field: string; from: unknown; to: unknown }[]>(),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [index('timeline_events_ticket_idx').on(t.ticketId, t.id)],
);

/** A retried creation with the same key returns the first result, never a second ticket. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    resourceId: uuid('resource_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
