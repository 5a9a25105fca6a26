import { remindOfUpdate } from '../../services/update-reminder.service.js';
import { defineJob } from '../job-definition.js';
import { updateReminderJob } from '../specs/update-reminder.job-spec.js';

export const updateReminderJobDefinition = defineJob(updateReminderJob, {
  async run(job, deps) {
    await remindOfUpdate(deps, job.payload);
  },
});
