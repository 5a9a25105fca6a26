import { z } from 'zod';
import { ACTION_ITEM_PRIORITIES, ACTION_ITEM_STATES, DURATIONS, KEY_MOMENTS, REVIEW_SECTIONS, REVIEW_STATES } from '../incident-review.js';
import { Id, Timestamp } from './common.js';

const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max.toLocaleString('en')} characters`);

const SECTION_MAX = 50_000;

/** A review's sections: each the team's Markdown. */
export const ReviewSections = z.strictObject(
  Object.fromEntries(REVIEW_SECTIONS.map((s) => [s, Text(SECTION_MAX)])) as Record<
    (typeof REVIEW_SECTIONS)[number],
    ReturnType<typeof Text>
  >,
);
export const ReviewSectionsPatch = ReviewSections.partial().refine((v) => Object.keys(v).length > 0, {
  message: `name at least one section (${REVIEW_SECTIONS.join(', ')})`,
});

/** The blameless template: a prompt per section (the timeline is seeded from the incident instead). */
export const ReviewTemplate = z.strictObject({
  summary: Text(5_000),
  customerImpact: Text(5_000),
  contributingFactors: Text(5_000),
  wentWell: Text(5_000),
  wentBadly: Text(5_000),
  lessons: Text(5_000),
});

export const MoveReview = z.strictObject({
  to: z.enum(REVIEW_STATES, { error: 'must be draft, in_review or published' }),
});

export const ActionItemPriority = z.enum(ACTION_ITEM_PRIORITIES, { error: 'must be high, medium or low' });
export const ActionItemState = z.enum(ACTION_ITEM_STATES, { error: 'must be open, done or cancelled' });
const DueOn = z.iso.date({ error: 'must be a date (YYYY-MM-DD)' });
const Title = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

export const NewActionItem = z.strictObject({
  title: Title,
  ownerId: Id.optional(),
  dueOn: DueOn,
  priority: ActionItemPriority.default('medium'),
  /** The problem this action feeds (issue 17), when one was recorded. */
  problemId: Id.nullable().optional(),
});

export const ActionItemPatch = z
  .strictObject({ title: Title, ownerId: Id, dueOn: DueOn, priority: ActionItemPriority, state: ActionItemState, problemId: Id.nullable() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'name at least one of title, ownerId, dueOn, priority, state' });

export const ActionItem = z.object({
  id: Id,
  ticket: z.object({ id: Id, number: z.string(), title: z.string() }),
  reviewId: Id.nullable(),
  /** The problem it feeds (issue 17); null when none. */
  problemId: Id.nullable(),
  title: z.string(),
  owner: z.object({ id: Id, name: z.string() }),
  dueOn: z.string(),
  priority: ActionItemPriority,
  priorityLabel: z.string(),
  state: ActionItemState,
  stateLabel: z.string(),
  overdue: z.boolean(),
  version: z.number().int(),
});

export const PostIncidentReview = z.object({
  ticket: z.object({ id: Id, number: z.string(), title: z.string() }),
  review: z
    .object({
      id: Id,
      state: z.enum(REVIEW_STATES),
      stateLabel: z.string(),
      sections: ReviewSections,
      publishedAt: Timestamp.nullable(),
      updatedAt: Timestamp,
      updatedBy: z.string().nullable(),
      version: z.number().int(),
    })
    .nullable(),
  moments: z.array(z.object({ moment: z.enum(KEY_MOMENTS), label: z.string(), at: Timestamp.nullable(), missing: z.string().nullable() })),
  durations: z.array(
    z.object({
      kind: z.enum(DURATIONS),
      label: z.string(),
      wallMs: z.number().nullable(),
      businessMs: z.number().nullable(),
      wall: z.string().nullable(),
      business: z.string().nullable(),
    }),
  ),
  calendar: z.string(),
  roles: z.array(z.object({ role: z.string(), holder: z.string(), since: Timestamp })),
  investigations: z.array(z.object({ hypothesis: z.string(), status: z.string(), conclusion: z.string().nullable(), owner: z.string() })),
  updates: z.array(z.object({ at: Timestamp, stage: z.string().nullable(), text: z.string() })),
  rootCause: z.string().nullable(),
  actionItems: z.array(ActionItem),
});
