import { deliverNotifications } from '../../services/notifications.service.js';
import { defineJob } from '../job-definition.js';
import { deliverJob } from '../specs/notification-deliver.job-spec.js';

/** Batched: a sweep's deliveries share one read of their outbox rows and one write marking them sent. */
export const deliverJobDefinition = defineJob(deliverJob, {
  batch: (jobs, deps, { mail }) =>
    deliverNotifications(
      deps,
      mail,
      jobs.map((job) => job.payload.notificationId),
    ),
});
