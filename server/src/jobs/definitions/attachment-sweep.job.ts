import { runOrphanPartSweep } from '../../services/attachment-storage.service.js';
import { defineJob } from '../job-definition.js';
import { attachmentPartSweepJob } from '../specs/attachment-sweep.job-spec.js';

export const attachmentPartSweepJobDefinition = defineJob(attachmentPartSweepJob, {
  async run(_job, deps, { log }) {
    const removed = await runOrphanPartSweep(deps);
    if (removed > 0) log('removed parts of attachments whose upload never completed', { removed });
  },
});
