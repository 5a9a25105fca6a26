import { checkSlaTimer } from '../../services/sla-timer.service.js';
import { defineJob } from '../job-definition.js';
import { slaCheckJob } from '../specs/sla-check.job-spec.js';

export const slaCheckJobDefinition = defineJob(slaCheckJob, {
  async run(job, deps) {
    await checkSlaTimer(deps, job.payload);
  },
});
