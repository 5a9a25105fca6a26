import { sendConfirmationMail } from '../../services/status-delivery.service.js';
import { defineJob } from '../job-definition.js';
import { statusConfirmMailJob } from '../specs/status-confirm-mail.job-spec.js';

export const statusConfirmMailJobDefinition = defineJob(statusConfirmMailJob, {
  run: (job, deps, { mail }) => sendConfirmationMail(deps, mail, job.payload.subscriberId),
});
