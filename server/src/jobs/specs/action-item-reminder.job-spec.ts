import { z } from 'zod';
import { REMINDER_KINDS } from '../../../../core/incident-review.js';
import { defineJobSpec } from '../job-spec.js';

/** Before and on an action item's due date: remind its owner, if it is still open and still due then (issue 17). */
export const actionItemReminderJob = defineJobSpec({
  kind: 'action_item.reminder',
  payload: z.object({
    actionItemId: z.guid(),
    kind: z.enum(REMINDER_KINDS),
    dueOn: z.iso.date(),
  }),
  maxAttempts: 8,
  // One timer per item, reminder and due date: a moved due date gets fresh timers, the old ones find it moved.
  idOf: (p) => `action_item.reminder:${p.actionItemId}:${p.kind}:${p.dueOn}`,
});
