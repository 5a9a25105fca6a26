import { checkSlaTimers } from '../../services/sla-timer.service.js';
import { defineJob } from '../job-definition.js';
import { slaCheckJob } from '../specs/sla-check.job-spec.js';

/** Batched: a sweep's timers share one transaction and its reads; a timer that fails is retried alone. */
export const slaCheckJobDefinition = defineJob(slaCheckJob, {
  async batch(jobs, deps, jobDeps) {
    // In the order they fell due (a claim returns its rows in no particular order), so a ticket
    // whose warning and breach are both due in one sweep has them noted in that order.
    const order = jobs.map((_, i) => i).sort((a, b) => jobs[a].runAt.getTime() - jobs[b].runAt.getTime());
    const outcomes = await checkSlaTimers(
      deps,
      order.map((i) => jobs[i].payload),
      // Nothing is lost (each timer is then checked alone), but a batch that keeps failing costs
      // a transaction per timer: say why, once per sweep (the database's reason, not the ORM's
      // "Failed query" with the statement and its values).
      (error, timers) =>
        jobDeps.log('SLA timers checked one by one: their shared transaction failed', {
          timers,
          err: (error.cause instanceof Error ? error.cause : error).message,
        }),
    );
    const errors: (Error | null)[] = new Array(jobs.length).fill(null);
    order.forEach((i, n) => {
      const outcome = outcomes[n];
      if (outcome instanceof Error) errors[i] = outcome;
    });
    return errors;
  },
});
