import { z } from 'zod';
import { EVALUATION_POINTS, UPDATE_STAGES } from '../stakeholder-updates.js';
import { Id, Timestamp } from './common.js';

/** Stakeholder updates, audiences and the update cadence (issue 15 items 4–6). */

const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max.toLocaleString('en')} characters`);

const Stage = z.enum(UPDATE_STAGES, { error: `must be one of ${UPDATE_STAGES.join(', ')}` });

export const UpdateTemplates = z.strictObject(
  Object.fromEntries(UPDATE_STAGES.map((s) => [s, Text(4000)])) as Record<(typeof UPDATE_STAGES)[number], ReturnType<typeof Text>>,
);

const Minutes = z.number({ error: 'must be a number of minutes' });
export const UpdateCadenceSettings = z.strictObject({
  /** Minutes between updates per priority ("1".."5"); a priority left out has no cadence. */
  intervals: z.partialRecord(z.enum(['1', '2', '3', '4', '5'], { error: 'must be a priority from 1 to 5' }), Minutes),
  graceMinutes: Minutes,
});

export const AudienceInput = z.strictObject({
  name: Text(120),
  description: z.string().trim().max(500, 'must be at most 500 characters').default(''),
  userIds: z.array(Id).max(500, 'at most 500 people').default([]),
  teamIds: z.array(Id).max(100, 'at most 100 teams').default([]),
  emails: z
    .array(z.email({ error: 'must be an e-mail address, e.g. ceo@example.com' }))
    .max(500, 'at most 500 addresses')
    .default([]),
  serviceIds: z.array(Id).max(200, 'at most 200 services').default([]),
});

export const Audience = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  userIds: z.array(z.string()),
  teamIds: z.array(z.string()),
  emails: z.array(z.string()),
  serviceIds: z.array(z.string()),
  version: z.number().int(),
});
export const Audiences = z.object({ items: z.array(Audience) });

export const SendUpdate = z.strictObject({
  stage: Stage,
  /** The text as written, with `{variables}`; the server fills them in. */
  text: Text(4000),
  /** Built-in audiences (`public`, `role_holders`) and stakeholder lists by id. */
  audienceIds: z.array(z.string().max(64)).max(50, 'at most 50 audiences'),
});

export const UpdateCadence = z.object({
  nextDueAt: Timestamp.nullable(),
  lastUpdateAt: Timestamp.nullable(),
  status: z.enum(['not_due', 'due', 'overdue']),
});

/** A correction of a sent public update (issue 15): who, when, the words before and after. */
export const UpdateEdit = z.object({
  at: Timestamp,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  notified: z.boolean(),
});

/** Correct the text of a public update already sent; `revision` is the one the editor read (412 when someone corrected it since). */
export const EditPublicUpdate = z.strictObject({
  text: Text(4000),
  revision: z.number().int().min(1),
  /** Tell status page subscribers again; off by default: a typo fix is not news. */
  notifySubscribers: z.boolean().default(false),
});

export const PublicUpdate = z.object({
  id: z.number().int(),
  ticketId: z.string(),
  at: Timestamp,
  text: z.string(),
  /** 1 as first sent, one more per correction. */
  revision: z.number().int(),
  editedAt: Timestamp.nullable(),
  history: z.array(UpdateEdit),
});

export const PublicUpdateParams = z.strictObject({
  id: Id,
  updateId: z.coerce.number().int().positive(),
});

export const SentUpdate = z.object({
  id: z.number().int(),
  at: Timestamp,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  stage: z.string(),
  text: z.string(),
  public: z.boolean(),
  audiences: z.array(z.object({ id: z.string(), name: z.string() })),
  recipientCount: z.number().int(),
  /** The public update this sent (the status page's), to correct it; null when it went to no public. */
  publicUpdateId: z.number().int().nullable(),
  revision: z.number().int(),
  editedAt: Timestamp.nullable(),
  history: z.array(UpdateEdit),
});

export const ComposerAudience = z.object({
  id: z.string(),
  name: z.string(),
  builtIn: z.boolean(),
  proposed: z.boolean(),
  /** People and addresses it reaches now (the public audience: its requesters and followers). */
  recipientCount: z.number().int(),
});

export const Composer = z.object({
  templates: UpdateTemplates,
  variables: z.record(z.string(), z.string()),
  audiences: z.array(ComposerAudience),
  cadence: UpdateCadence,
  evaluationPoint: z.object({ point: z.enum(EVALUATION_POINTS), label: z.string(), at: Timestamp }).nullable(),
  updates: z.array(SentUpdate),
});

export const DueUpdates = z.object({
  items: z.array(
    z.object({
      ticketId: Id,
      number: z.string(),
      priority: z.number().int(),
      nextDueAt: Timestamp,
      lastUpdateAt: Timestamp.nullable(),
      status: z.enum(['not_due', 'due', 'overdue']),
    }),
  ),
});
