import {
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { StoredModelHeader } from '../../../../core/routing/model-codec.js';
import { categories, teams } from './directory.js';
import { tickets } from './tickets.js';

/** Raw bytes (as in email.ts): PGlite answers a Uint8Array, node-postgres a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const ROUTING_MODEL_STATUSES = ['ready', 'not_enough_history'] as const;

/**
 * The learned router's training runs (issue 18, item 5), newest wins. A `ready` run holds the two
 * models (text → team, text → category; a target with too little history has none), gzipped, and
 * their evaluation; a `not_enough_history` run holds only the reason, so the admin sees why
 * there is no model. `format` is the models' layout: a run of another format is not loaded.
 */
export const routingModels = pgTable(
  'routing_models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    status: text('status', { enum: ROUTING_MODEL_STATUSES }).notNull(),
    format: integer('format').notNull(),
    reason: text('reason'),
    teamHeader: jsonb('team_header').$type<StoredModelHeader>(),
    teamWeights: bytea('team_weights'),
    categoryHeader: jsonb('category_header').$type<StoredModelHeader>(),
    categoryWeights: bytea('category_weights'),
    /** The figures shown in Admin › Routing (RoutingEvaluation in core/contracts/routing.ts). */
    evaluation: jsonb('evaluation').$type<Record<string, unknown>>(),
    trainedAt: timestamp('trained_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('routing_models_trained_idx').on(t.trainedAt)],
);

/**
 * What the learned router said about a new ticket that arrived without a team, or without a
 * category (issue 18, item 5; one row per target): its best team or category and confidence, and
 * whether it was confident enough to set it itself (`applied`) or only suggested. The first team
 * (category) a person gives the ticket afterwards (its timeline's `assigned` / `field_changed`
 * events) is the feedback: Admin › Routing counts how often people kept or took the router's
 * choice, and how often they chose another.
 */
export const routingDecisions = pgTable(
  'routing_decisions',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** What the router decided about the new ticket: its team, or its category (migration 0073). */
    target: text('target', { enum: ['team', 'category'] })
      .notNull()
      .default('team'),
    /** The router's team (target 'team'). */
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    /** The router's category (target 'category'). */
    categoryId: uuid('category_id').references(() => categories.id, { onDelete: 'set null' }),
    confidence: doublePrecision('confidence').notNull(),
    applied: boolean('applied').notNull(),
    modelId: uuid('model_id').references(() => routingModels.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.target] }), index('routing_decisions_decided_idx').on(t.decidedAt)],
);
