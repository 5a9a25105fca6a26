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
});
export type RoutingModelStatus = z.infer<typeof RoutingModelStatus>;

export const RoutingTrainAccepted = z.object({ queued: z.literal(true), training: z.boolean() });
