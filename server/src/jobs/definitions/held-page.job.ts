import { handleHeldPageTimeout } from '../../services/held-page-confirmation.service.js';
import { defineJob } from '../job-definition.js';
import { heldPageJob } from '../specs/held-page.job-spec.js';

export const heldPageJobDefinition = defineJob(heldPageJob, {
  async run(job, deps) {
    await handleHeldPageTimeout(deps, job.payload);
  },
});
