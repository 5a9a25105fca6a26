import { sendScheduledReport } from '../../services/saved-reports.service.js';
import { defineJob } from '../job-definition.js';
import { reportSendJob } from '../specs/report-send.job-spec.js';

export const reportSendJobDefinition = defineJob(reportSendJob, {
  run: async (job, deps, { mail }) => {
    await sendScheduledReport(deps, mail, job.payload);
  },
});
