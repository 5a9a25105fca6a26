import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/** The learned router (issue 18, item 5): suggestions for a ticket's text, and the model's state. */

export const RoutingSuggestionBody = z.object({
  title: z.string().trim().min(1, { error: 'must not be empty' }).max(500, { error: 'must be at most 500 characters' }),
  description: z.string().max(20_000, { error: 'must be at most 20,000 characters' }).default(''),
  serviceId: Id.optional(),
});

const Suggestion = z.object({ id: Id, name: z.string(), confidence: z.number().min(0).max(1) });

/** Most likely first; confidences of one list sum to at most 1 (places deleted since training are left out). Empty without a model. */
export const RoutingSuggestions = z.object({ teams: z.array(Suggestion), categories: z.array(Suggestion) });
export type RoutingSuggestions = z.infer<typeof RoutingSuggestions>;

const Named = z.object({ id: z.string(), name: z.string() });

export const TargetEvaluation = z.object({
  /** Tickets learned from, and held out to measure on (a stratified 20 %). */
  trainedOn: z.number().int(),
  examples: z.number().int(),
  classes: z.number().int(),
  accuracy: z.number(),
  macroF1: z.number(),
  /** Accuracy of always answering the most frequent team (or category). */
  majorityBaseline: z.number(),
  mostConfused: z.array(z.object({ actual: Named, predicted: Named, count: z.number().int() })),
});
export type TargetEvaluation = z.infer<typeof TargetEvaluation>;

export const ROUTER_STATES = ['none', 'ready', 'not_enough_history'] as const;

/** How the router's decisions of one kind (teams, or categories) fared with the people who work the tickets. */
export const RoutingDecisionCounts = z.object({
  /** New tickets the router gave a team (category) itself (confidence above the threshold). */
  routed: z.number().int(),
  /** …of which a person then gave another: the router was wrong. */
  corrected: z.number().int(),
  /** New tickets where the router only suggested one (below the threshold). */
  suggested: z.number().int(),
  /** …where a person then gave the suggested one. */
  taken: z.number().int(),
  /** …where a person chose another. */
  otherChosen: z.number().int(),
});
export type RoutingDecisionCounts = z.infer<typeof RoutingDecisionCounts>;

/** The last 30 days: the team decisions' counts, and the category decisions' beside them. */
export const RoutingFeedback = RoutingDecisionCounts.extend({
  since: Timestamp,
  categories: RoutingDecisionCounts,
});
export type RoutingFeedback = z.infer<typeof RoutingFeedback>;

export const RoutingModelStatus = z.object({
  state: z.enum(ROUTER_STATES),
  /** A training job waits or runs. */
  training: z.boolean(),
  trainedAt: Timestamp.nullable(),
  /** Why there is no model (not enough history), in words. */
  reason: z.string().nullable(),
  teams: TargetEvaluation.nullable(),
  categories: TargetEvaluation.nullable(),
  trainingMs: z.number().nullable(),
  feedback: RoutingFeedback,
});
export type RoutingModelStatus = z.infer<typeof RoutingModelStatus>;

export const RoutingTrainAccepted = z.object({ queued: z.literal(true), training: z.boolean() });

/**
 * Admin settings of the learned router. `autoRouteAbove`: a new ticket without a team goes to the
 * router's team, and one without a category gets the router's category, when its confidence is at
 * least this (null: never, only suggest).
 * `retrainEveryHours`: retrain on a schedule (null: only when an admin asks).
 */
export const RoutingSettings = z.strictObject({
  autoRouteAbove: z
    .number()
    .min(0.5, { error: 'must be at least 0.5: below that the router is more often wrong than right' })
    .max(1, { error: 'must be at most 1 (100 %)' })
    .nullable(),
  retrainEveryHours: z
    .number()
    .int({ error: 'must be a whole number of hours' })
    .min(1, { error: 'must be at least 1 hour' })
    .max(24 * 90, { error: 'must be at most 2,160 hours (90 days)' })
    .nullable(),
});
export type RoutingSettings = z.infer<typeof RoutingSettings>;
