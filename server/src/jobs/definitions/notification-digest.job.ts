import { sendDigest } from '../../services/notifications.service.js';
import { defineJob } from '../job-definition.js';
import { digestJob } from '../specs/notification-digest.job-spec.js';

export const digestJobDefinition = defineJob(digestJob, {
  run: (job, deps, { mail }) => sendDigest(deps, mail, job.payload),
});
