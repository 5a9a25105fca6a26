import { deliverStatusMessages } from '../../services/status-delivery.service.js';
import { defineJob } from '../job-definition.js';
import { statusDeliverJob } from '../specs/status-deliver.job-spec.js';

/** Batched: a sweep's deliveries share one read and one write marking them sent. */
export const statusDeliverJobDefinition = defineJob(statusDeliverJob, {
  batch: (jobs, deps, { mail }) =>
    deliverStatusMessages(
      deps,
      mail,
      jobs.map((job) => job.payload.deliveryId),
    ),
});
