import { z } from 'zod';
import { CHECK_KINDS, CHECKLIST_KINDS } from '../completion-checklist.js';
import { Timestamp } from './common.js';

export const ChecklistItem = z.strictObject({
  key: z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters'),
  label: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  check: z.enum(CHECK_KINDS, {
    error: `must be one of ${CHECK_KINDS.join(', ')} ("manual": a person ticks it; the others Firebreak checks from the incident)`,
  }),
});

/** Every kind of incident's checklist, in order. */
export const CompletionChecklists = z.strictObject({
  major_incident: z.array(ChecklistItem).max(30, 'at most 30 items'),
  incident: z.array(ChecklistItem).max(30, 'at most 30 items'),
});

export const ChecklistItemState = ChecklistItem.extend({
  done: z.boolean(),
  /** What would make it done, in words. */
  hint: z.string(),
});

export const IncidentCompletion = z.object({
  /** Which checklist applies: null for a ticket that has none (service requests, disturbances). */
  checklist: z.enum(CHECKLIST_KINDS).nullable(),
  items: z.array(ChecklistItemState),
  complete: z.boolean(),
  preventiveMeasures: z.array(z.object({ description: z.string(), at: Timestamp, actorId: z.string().nullable() })),
  reviewScheduledFor: Timestamp.nullable(),
  finalUpdateAt: Timestamp.nullable(),
});

const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max.toLocaleString('en')} characters`);

export const RecordFinalUpdate = z.strictObject({ body: Text(20_000) });
export const RecordPreventiveMeasure = z.strictObject({ description: Text(5_000) });
export const ScheduleReview = z.strictObject({ at: Timestamp });
export const ChecklistItemParams = z.strictObject({ id: z.uuid({ error: 'must be an id (UUID)' }), key: z.string().max(60) });
export const SetChecklistItem = z.strictObject({ ticked: z.boolean({ error: 'must be true (done) or false (not done)' }) });
