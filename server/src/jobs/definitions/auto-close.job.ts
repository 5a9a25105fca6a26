import { autoCloseResolvedTicket } from '../../services/auto-close-run.service.js';
import { defineJob } from '../job-definition.js';
import { autoCloseJob } from '../specs/auto-close.job-spec.js';

export const autoCloseJobDefinition = defineJob(autoCloseJob, {
  async run(job, deps) {
    await autoCloseResolvedTicket(deps, job.payload);
  },
});
