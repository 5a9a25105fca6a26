import { trainRouter } from '../../services/routing.service.js';
import { defineJob } from '../job-definition.js';
import { routingTrainJob } from '../specs/routing-train.job-spec.js';

export const routingTrainJobDefinition = defineJob(routingTrainJob, {
  async run(_job, deps) {
    await trainRouter(deps);
  },
});
