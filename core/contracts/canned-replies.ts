import { z } from 'zod';
import {
  CANNED_REPLY_SCOPES,
  CANNED_REPLY_STATES,
  unknownCannedReplyVariables,
  unknownCannedReplyVariablesMessage,
} from '../canned-replies.js';
import { ON_HOLD_REASONS, RESOLUTION_CODES } from '../vocabulary.js';
import { Id, Timestamp } from './common.js';

const Visibility = z.enum(['public', 'internal'], { error: 'must be "public" (the requester sees it) or "internal" (a work note)' });

/** What a canned reply changes on the ticket when it is sent; every part optional. */
export const CannedReplyChanges = z
  .strictObject({
    state: z
      .enum(CANNED_REPLY_STATES, { error: `must be one of ${CANNED_REPLY_STATES.join(', ')}` })
      .nullable()
      .default(null),
    onHoldReason: z
      .enum(ON_HOLD_REASONS, { error: `must be one of ${ON_HOLD_REASONS.join(', ')}` })
      .nullable()
      .default(null),
    resolutionCode: z
      .enum(RESOLUTION_CODES, { error: `must be one of ${RESOLUTION_CODES.join(', ')}` })
      .nullable()
      .default(null),
    teamId: Id.nullable().default(null),
    assigneeId: Id.nullable().default(null),
  })
  .superRefine((c, ctx) => {
    if (c.state === 'on_hold' && !c.onHoldReason)
      ctx.addIssue({ code: 'custom', path: ['onHoldReason'], message: 'is needed to put the ticket on hold' });
    if (c.state === 'resolved' && !c.resolutionCode)
      ctx.addIssue({ code: 'custom', path: ['resolutionCode'], message: 'is needed to resolve the ticket' });
  });

export const SaveCannedReply = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  body: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(20_000, 'must be at most 20,000 characters')
    .superRefine((text, ctx) => {
      const unknown = unknownCannedReplyVariables(text);
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: unknownCannedReplyVariablesMessage(unknown) });
    }),
  visibility: Visibility,
  scope: z.enum(CANNED_REPLY_SCOPES, { error: 'must be "shared" (the whole desk) or "personal" (only you)' }),
  changes: CannedReplyChanges.default({ state: null, onHoldReason: null, resolutionCode: null, teamId: null, assigneeId: null }),
});

export const CannedReply = z.object({
  id: Id,
  name: z.string(),
  body: z.string(),
  visibility: Visibility,
  scope: z.enum(CANNED_REPLY_SCOPES),
  ownerId: Id.nullable(),
  changes: z.object({
    state: z.enum(CANNED_REPLY_STATES).nullable(),
    onHoldReason: z.enum(ON_HOLD_REASONS).nullable(),
    resolutionCode: z.enum(RESOLUTION_CODES).nullable(),
    teamId: Id.nullable(),
    assigneeId: Id.nullable(),
  }),
  /** Words for the composer: what sending it changes besides the reply, e.g. "sets state resolved". */
  changesSummary: z.string().nullable(),
  version: z.number().int(),
  updatedAt: Timestamp,
  updatedBy: z.object({ id: Id, name: z.string() }).nullable(),
});

export const CannedReplyParams = z.strictObject({ id: Id, replyId: Id });

export const CannedReplyPreview = z.object({ body: z.string(), visibility: Visibility, changesSummary: z.string().nullable() });

/** Sending: the text the agent may have edited (the rendered reply when left out). */
export const ApplyCannedReply = z.strictObject({
  body: z.string().trim().min(1, 'must not be empty').max(20_000, 'must be at most 20,000 characters').optional(),
});
