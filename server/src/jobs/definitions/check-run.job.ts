import { runCheck } from '../../services/check-run.service.js';
import { defineJob } from '../job-definition.js';
import { checkRunJob } from '../specs/check-run.job-spec.js';

export const checkRunJobDefinition = defineJob(checkRunJob, {
  // The run is for the instant the job is due: a check moved meanwhile makes it stale (runCheck).
  run: (job, deps, { prober }) => runCheck(deps, prober, { checkId: job.payload.checkId, runAt: job.runAt }),
});
