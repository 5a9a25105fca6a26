import { resolveTicketIfQuiet } from '../../services/alert-resolution.service.js';
import { defineJob } from '../job-definition.js';
import { alertResolveJob } from '../specs/alert-resolve.job-spec.js';

export const alertResolveJobDefinition = defineJob(alertResolveJob, {
  async run(job, deps) {
    await resolveTicketIfQuiet(deps, job.payload);
  },
});
