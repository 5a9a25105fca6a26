import { fanOutAnnouncement } from '../../services/status-fan-out.service.js';
import { defineJob } from '../job-definition.js';
import { statusFanOutJob } from '../specs/status-fan-out.job-spec.js';

export const statusFanOutJobDefinition = defineJob(statusFanOutJob, {
  run: async (job, deps, { log }) => {
    const deliveries = await fanOutAnnouncement(deps, job.payload);
    log('status page news fanned out', { ...job.payload, deliveries });
  },
});
