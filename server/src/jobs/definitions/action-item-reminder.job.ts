import { remindActionItemOwner } from '../../services/action-items.service.js';
import { defineJob } from '../job-definition.js';
import { actionItemReminderJob } from '../specs/action-item-reminder.job-spec.js';

export const actionItemReminderJobDefinition = defineJob(actionItemReminderJob, {
  async run(job, deps) {
    await remindActionItemOwner(deps, job.payload);
  },
});
