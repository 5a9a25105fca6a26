import { resolveChildrenBatch } from '../../services/child-resolution-run.service.js';
import { defineJob } from '../job-definition.js';
import { childResolutionJob } from '../specs/child-resolution.job-spec.js';

export const childResolutionJobDefinition = defineJob(childResolutionJob, {
  async run(job, deps) {
    await resolveChildrenBatch(deps, job.payload);
  },
});
