import { fireIdleRules } from '../../services/automation-idle.service.js';
import { defineJob } from '../job-definition.js';
import { automationIdleJob } from '../specs/automation-idle.job-spec.js';

export const automationIdleJobDefinition = defineJob(automationIdleJob, {
  async run(job, deps) {
    await fireIdleRules(deps, job.payload);
  },
});
