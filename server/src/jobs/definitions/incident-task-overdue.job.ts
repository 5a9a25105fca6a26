import { flagOverdueTask } from '../../services/incident-task-overdue.service.js';
import { defineJob } from '../job-definition.js';
import { incidentTaskOverdueJob } from '../specs/incident-task-overdue.job-spec.js';

export const incidentTaskOverdueJobDefinition = defineJob(incidentTaskOverdueJob, {
  async run(job, deps) {
    await flagOverdueTask(deps, job.payload);
  },
});
