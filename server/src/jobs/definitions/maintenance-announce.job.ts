import { announceMaintenanceUpdate } from '../../services/maintenance.service.js';
import { defineJob } from '../job-definition.js';
import { maintenanceAnnounceJob } from '../specs/maintenance-announce.job-spec.js';

export const maintenanceAnnounceJobDefinition = defineJob(maintenanceAnnounceJob, {
  run: async (job, deps, { log }) => {
    const deliveries = await announceMaintenanceUpdate(deps, job.payload.updateId);
    log('planned maintenance news fanned out', { ...job.payload, deliveries });
  },
});
