import { handlePageTimeout } from '../../services/paging.service.js';
import { defineJob } from '../job-definition.js';
import { pageTimeoutJob } from '../specs/page-timeout.job-spec.js';

export const pageTimeoutJobDefinition = defineJob(pageTimeoutJob, {
  async run(job, deps) {
    await handlePageTimeout(deps, job.payload);
  },
});
