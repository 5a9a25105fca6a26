import { trainOnWorkerThread } from '../../adapters/router-trainer.js';
import { trainRouter } from '../../services/routing.service.js';
import { defineJob } from '../job-definition.js';
import { routingTrainJob } from '../specs/routing-train.job-spec.js';

export const routingTrainJobDefinition = defineJob(routingTrainJob, {
  async run(_job, deps) {
    // On its own thread: the worker's process keeps answering requests while the router trains.
    await trainRouter(deps, trainOnWorkerThread);
  },
});
