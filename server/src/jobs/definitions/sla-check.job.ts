import { checkSlaTimers } from '../../services/sla-timer.service.js';
import { defineJob } from '../job-definition.js';
import { slaCheckJob } from '../specs/sla-check.job-spec.js';

/** Batched: a sweep's timers share one transaction and its reads; a timer that fails is retried alone. */
export const slaCheckJobDefinition = defineJob(slaCheckJob, {
  async batch(jobs, deps) {
    const outcomes = await checkSlaTimers(
      deps,
      jobs.map((job) => job.payload),
    );
    return outcomes.map((outcome) => (outcome instanceof Error ? outcome : null));
  },
});
