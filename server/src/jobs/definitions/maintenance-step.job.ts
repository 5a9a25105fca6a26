import { runMaintenanceStep } from '../../services/maintenance.service.js';
import { defineJob } from '../job-definition.js';
import { maintenanceStepJob } from '../specs/maintenance-step.job-spec.js';

export const maintenanceStepJobDefinition = defineJob(maintenanceStepJob, {
  run: async (job, deps, { log }) => {
    const outcome = await runMaintenanceStep(deps, { ...job.payload, at: new Date(job.payload.at) });
    if (outcome) log('planned maintenance moved on', { ...job.payload, news: outcome });
  },
});
