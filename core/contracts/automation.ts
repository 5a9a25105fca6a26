import { z } from 'zod';
import {
  AUTOMATION_ACTION_TYPES,
  AUTOMATION_TRIGGERS,
  CONDITION_FIELDS,
  type ConditionField,
  WATCHED_FIELDS,
} from '../automation/rules.js';
import { ASSIGNMENT_STRATEGIES } from '../fair-assignment.js';
import { CHANNELS, TICKET_KINDS, TICKET_STATES } from '../vocabulary.js';
import { Id, Ref, Timestamp } from './common.js';

/**
 * Above this many people notified or made followers, a rule is saved only when the admin confirms
 * (`confirmLargeAudience: true`): a crowd told of every ticket is usually a mistake, sometimes not.
 */
export const MAX_RULE_RECIPIENTS = 25;
/** The most people one action may name at all (the request stays small). */
export const MAX_RULE_PEOPLE = 1000;

const Level = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'must be 1 (high), 2 (medium) or 3 (low)' });
const RuleValue = z.union([z.string().max(200), z.number().int(), z.null()]);

/** What each condition field's values must be (an id, a kind, a channel, a level). */
const VALUE_CHECKS: Record<ConditionField, z.ZodType> = {
  kind: z.enum(TICKET_KINDS, { error: `must be one of ${TICKET_KINDS.join(', ')}` }),
  channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }),
  priority: z.number().int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5'),
  impact: Level,
  urgency: Level,
  service: Id.nullable(),
  category: Id.nullable(),
  team: Id.nullable(),
  assignee: Id.nullable(),
  organisation: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').nullable(),
};

export const AutomationTrigger = z
  .strictObject({
    on: z.enum(AUTOMATION_TRIGGERS, { error: `must be one of ${AUTOMATION_TRIGGERS.join(', ')}` }),
    field: z.enum(WATCHED_FIELDS, { error: `must be one of ${WATCHED_FIELDS.join(', ')}` }).optional(),
    from: RuleValue.optional(),
    to: RuleValue.optional(),
    hours: z.number().int('must be whole hours').min(1, 'must be at least 1').max(2000, 'must be at most 2000').optional(),
  })
  .superRefine((t, ctx) => {
    if (t.on === 'idle' && t.hours === undefined)
      ctx.addIssue({ code: 'custom', path: ['hours'], message: 'says how many business hours' });
    if (t.on !== 'idle' && t.hours !== undefined)
      ctx.addIssue({ code: 'custom', path: ['hours'], message: 'is only for the trigger "idle"' });
    if (t.on === 'field_changed' && !t.field) ctx.addIssue({ code: 'custom', path: ['field'], message: 'says which field must change' });
    if (t.on !== 'field_changed' && (t.field || t.from !== undefined || t.to !== undefined))
      ctx.addIssue({ code: 'custom', path: ['field'], message: 'is only for the trigger "field_changed"' });
  });

export const AutomationCondition = z.discriminatedUnion(
  'op',
  [
    z
      .strictObject({
        op: z.enum(['in', 'not_in']),
        field: z.enum(CONDITION_FIELDS, { error: `must be one of ${CONDITION_FIELDS.join(', ')}` }),
        values: z.array(RuleValue).min(1, 'must name at least one value').max(50, 'must name at most 50 values'),
      })
      .superRefine((c, ctx) => {
        c.values.forEach((v, i) => {
          const checked = VALUE_CHECKS[c.field].safeParse(v);
          if (!checked.success)
            ctx.addIssue({
              code: 'custom',
              path: ['values', i],
              message: checked.error.issues[0]?.message ?? 'is not a value of this field',
            });
        });
      }),
    z.strictObject({
      op: z.literal('contains'),
      text: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    }),
    /** The pattern's safety (no catastrophic backtracking) is checked by the service on save. */
    z.strictObject({
      op: z.literal('matches'),
      pattern: z.string().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
    }),
    z.strictObject({ op: z.literal('working_hours'), calendarId: Id, inside: z.boolean() }),
  ],
  { error: 'op must be one of in, not_in, contains, matches, working_hours' },
);

const People = z.array(Id).min(1, 'must name at least one person').max(MAX_RULE_PEOPLE, `must name at most ${MAX_RULE_PEOPLE} people`);

export const AutomationAction = z.discriminatedUnion(
  'type',
  [
    z
      .strictObject({
        type: z.literal('set_fields'),
        impact: Level.optional(),
        urgency: Level.optional(),
        serviceId: Id.optional(),
        categoryId: Id.optional(),
      })
      .refine((a) => Object.keys(a).length > 1, { message: 'must set at least one field' }),
    z
      .strictObject({ type: z.literal('assign'), teamId: Id.optional(), assigneeId: Id.optional() })
      .refine((a) => a.teamId !== undefined || a.assigneeId !== undefined, { message: 'must name a team or a person' }),
    z.strictObject({ type: z.literal('reply'), cannedReplyId: Id }),
    z.strictObject({ type: z.literal('add_followers'), userIds: People }),
    z.strictObject({ type: z.literal('notify'), userIds: People }),
    z.strictObject({
      type: z.literal('assign_fairly'),
      strategy: z.enum(ASSIGNMENT_STRATEGIES, { error: `must be one of ${ASSIGNMENT_STRATEGIES.join(', ')}` }).optional(),
    }),
    z.strictObject({ type: z.literal('link_problem'), problemId: Id }),
    z.strictObject({
      type: z.literal('page'),
      escalationPolicyId: Id,
      message: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
    }),
    z.strictObject({ type: z.literal('webhook'), webhookId: Id }),
  ],
  { error: `type must be one of ${AUTOMATION_ACTION_TYPES.join(', ')}` },
);

export const SaveAutomationRule = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  enabled: z.boolean().default(false),
  stopAfterMatch: z.boolean().default(false),
  trigger: AutomationTrigger,
  conditions: z.array(AutomationCondition).max(20, 'must be at most 20 conditions').default([]),
  actions: z.array(AutomationAction).min(1, 'must do at least one thing').max(20, 'must be at most 20 actions'),
  /** The admin has seen how many people the rule tells (more than MAX_RULE_RECIPIENTS) and means it. */
  confirmLargeAudience: z.boolean().optional(),
});

export const AutomationRule = z.object({
  id: Id,
  name: z.string(),
  position: z.number().int(),
  enabled: z.boolean(),
  stopAfterMatch: z.boolean(),
  trigger: z.record(z.string(), z.unknown()),
  conditions: z.array(z.record(z.string(), z.unknown())),
  actions: z.array(z.record(z.string(), z.unknown())),
  /** Why Firebreak switched it off (a team, person or reply it names is gone). */
  disabledReason: z.string().nullable(),
  version: z.number().int(),
  updatedAt: Timestamp,
  updatedBy: Ref,
});

export const AutomationRuleOrder = z.strictObject({
  ids: z.array(Id).min(1, 'must list the rules').max(500, 'must list at most 500 rules'),
});

export const MAX_DRY_RUN_TICKETS = 1000;

export const AutomationDryRunBody = z
  .strictObject({
    /** A saved rule, or the form's draft (not saved). */
    ruleId: Id.optional(),
    rule: SaveAutomationRule.optional(),
    last: z.number().int().min(1, 'must be at least 1').max(MAX_DRY_RUN_TICKETS, `must be at most ${MAX_DRY_RUN_TICKETS}`).default(100),
    from: Timestamp.optional(),
    to: Timestamp.optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.ruleId === undefined) === (b.rule === undefined))
      ctx.addIssue({ code: 'custom', path: ['rule'], message: 'give either ruleId (a saved rule) or rule (a draft), not both' });
    if (b.from && b.to && Date.parse(b.from) >= Date.parse(b.to))
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  });

const Change = z.object({ field: z.string(), label: z.string(), from: z.string().nullable(), to: z.string().nullable() });

export const AutomationDryRunResult = z.object({
  examined: z.number().int(),
  matched: z.number().int(),
  /** How the trigger was read: a dry run asks "had it happened to each ticket as it is now". */
  note: z.string(),
  items: z.array(
    z.object({
      ticket: z.object({ id: Id, number: z.string(), title: z.string(), state: z.enum(TICKET_STATES) }),
      changes: z.array(Change),
      replies: z.array(z.object({ name: z.string(), visibility: z.enum(['public', 'internal']), body: z.string() })),
      followers: z.array(z.string()),
      notified: z.array(z.string()),
      /** What else it would do, in words: assign fairly, link to a problem, page, send to a webhook. */
      also: z.array(z.string()),
    }),
  ),
});
