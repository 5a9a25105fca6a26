import { detectStorms } from '../../services/storm-detection.service.js';
import { defineJob } from '../job-definition.js';
import { stormDetectJob } from '../specs/storm-detect.job-spec.js';

/**
 * Batched: however many seconds' runs a sweep finds due (a worker that fell behind on a busy
 * embedded engine), one detection answers them all — it looks at the window as it is now.
 */
export const stormDetectJobDefinition = defineJob(stormDetectJob, {
  async batch(jobs, deps) {
    try {
      await detectStorms(deps);
      return jobs.map(() => null);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      return jobs.map(() => error);
    }
  },
});
