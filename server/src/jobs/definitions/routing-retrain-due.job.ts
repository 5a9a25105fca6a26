import { retrainIfDue } from '../../services/learned-routing.service.js';
import { defineJob } from '../job-definition.js';
import { routingRetrainDueJob } from '../specs/routing-retrain-due.job-spec.js';

export const routingRetrainDueJobDefinition = defineJob(routingRetrainDueJob, {
  async run(_job, deps) {
    await retrainIfDue(deps);
  },
});
