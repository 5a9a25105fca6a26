import { runDoneJobCleanup } from '../../services/job-retention.service.js';
import { defineJob } from '../job-definition.js';
import { cleanDoneJobsJob } from '../specs/clean-done-jobs.job-spec.js';

export const cleanDoneJobsJobDefinition = defineJob(cleanDoneJobsJob, {
  async run(_job, deps, { log }) {
    const { deleted, retentionDays } = await runDoneJobCleanup(deps);
    if (deleted > 0) log('deleted done jobs past their retention', { deleted, retentionDays });
  },
});
