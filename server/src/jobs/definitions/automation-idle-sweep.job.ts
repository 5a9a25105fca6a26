import { sweepIdleTimers } from '../../services/automation-idle-sweep.service.js';
import { defineJob } from '../job-definition.js';
import { automationIdleSweepJob } from '../specs/automation-idle-sweep.job-spec.js';

export const automationIdleSweepJobDefinition = defineJob(automationIdleSweepJob, {
  async run(job, deps) {
    await sweepIdleTimers(deps, job.payload);
  },
});
