import { createOutboundGuard } from '../adapters/outbound-guard.js';
import { networkProber } from '../adapters/prober.js';
import type { Db } from '../db/client.js';
import { countUnfinishedJobsByKind } from '../repositories/jobs.repository.js';
import { actionItemReminderJobDefinition } from './definitions/action-item-reminder.job.js';
import { alertResolveJobDefinition } from './definitions/alert-resolve.job.js';
import { attachmentPartSweepJobDefinition } from './definitions/attachment-sweep.job.js';
import { autoCloseJobDefinition } from './definitions/auto-close.job.js';
import { automationIdleJobDefinition } from './definitions/automation-idle.job.js';
import { automationIdleSweepJobDefinition } from './definitions/automation-idle-sweep.job.js';
import { checkRunJobDefinition } from './definitions/check-run.job.js';
import { childResolutionJobDefinition } from './definitions/child-resolution.job.js';
import { cleanDoneJobsJobDefinition } from './definitions/clean-done-jobs.job.js';
import { heldPageJobDefinition } from './definitions/held-page.job.js';
import { incidentTaskOverdueJobDefinition } from './definitions/incident-task-overdue.job.js';
import { maintenanceAnnounceJobDefinition } from './definitions/maintenance-announce.job.js';
import { maintenanceStepJobDefinition } from './definitions/maintenance-step.job.js';
import { deliverJobDefinition } from './definitions/notification-deliver.job.js';
import { digestJobDefinition } from './definitions/notification-digest.job.js';
import { pageTimeoutJobDefinition } from './definitions/page-timeout.job.js';
import { reportSendJobDefinition } from './definitions/report-send.job.js';
import { routingRetrainDueJobDefinition } from './definitions/routing-retrain-due.job.js';
import { routingTrainJobDefinition } from './definitions/routing-train.job.js';
import { slaCheckJobDefinition } from './definitions/sla-check.job.js';
import { statusConfirmMailJobDefinition } from './definitions/status-confirm-mail.job.js';
import { statusDeliverJobDefinition } from './definitions/status-deliver.job.js';
import { statusFanOutJobDefinition } from './definitions/status-fan-out.job.js';
import { stormDetectJobDefinition } from './definitions/storm-detect.job.js';
import { updateReminderJobDefinition } from './definitions/update-reminder.job.js';
import type { BoundJobDeps, JobDefinition, JobDeps } from './job-definition.js';
import { JOB_KINDS } from './job-spec.js';
import type { BatchJobHandler, JobHandler, JobRegistry, RunnableJob } from './runner.js';

export type { JobDeps } from './job-definition.js';

/** Every kind of job this server runs. A new kind: a spec in specs/, a definition in definitions/, listed here. */
export const JOB_DEFINITIONS: readonly JobDefinition[] = [
  deliverJobDefinition,
  digestJobDefinition,
  autoCloseJobDefinition,
  checkRunJobDefinition,
  alertResolveJobDefinition,
  slaCheckJobDefinition,
  pageTimeoutJobDefinition,
  heldPageJobDefinition,
  attachmentPartSweepJobDefinition,
  childResolutionJobDefinition,
  incidentTaskOverdueJobDefinition,
  cleanDoneJobsJobDefinition,
  stormDetectJobDefinition,
  statusFanOutJobDefinition,
  statusDeliverJobDefinition,
  statusConfirmMailJobDefinition,
  updateReminderJobDefinition,
  maintenanceStepJobDefinition,
  maintenanceAnnounceJobDefinition,
  reportSendJobDefinition,
  actionItemReminderJobDefinition,
  routingTrainJobDefinition,
  routingRetrainDueJobDefinition,
  automationIdleJobDefinition,
  automationIdleSweepJobDefinition,
];

/** The job definitions do not fit together, or do not fit the jobs waiting in the database: the server must not start. */
export class JobRegistryError extends Error {
  override name = 'JobRegistryError';
}

/**
 * The registry the runner uses: each definition's handler bound to the server's job deps. Refuses
 * (throws `JobRegistryError`) a kind defined twice, a known kind with no definition (services
 * could schedule jobs nothing runs), and a definition for a kind nobody declared.
 */
export function registryOf(
  definitions: readonly JobDefinition[],
  jobDeps: JobDeps,
  knownKinds: readonly string[] = JOB_KINDS,
): JobRegistry {
  const problems: string[] = [];
  const registry = new Map<string, RunnableJob>();
  for (const definition of definitions) {
    const { kind } = definition.spec;
    if (registry.has(kind)) problems.push(`the kind "${kind}" is defined twice`);
    else if (!knownKinds.includes(kind)) problems.push(`the kind "${kind}" is defined but is not one of the known kinds (JOB_KINDS)`);
    registry.set(kind, { payload: definition.spec.payload, handler: bind(definition, jobDeps) });
  }
  for (const kind of knownKinds) if (!registry.has(kind)) problems.push(`the kind "${kind}" has no definition`);
  if (problems.length > 0) {
    throw new JobRegistryError(`The job definitions are inconsistent (server/src/jobs/registry.ts): ${problems.join('; ')}.`);
  }
  return registry;
}

/** The server's registry, from every definition. */
export function buildJobRegistry(jobDeps: JobDeps): JobRegistry {
  return registryOf(JOB_DEFINITIONS, jobDeps);
}

function bind(definition: JobDefinition, jobDeps: JobDeps): JobHandler | BatchJobHandler {
  const bound: BoundJobDeps = {
    mail: jobDeps.mail,
    prober: jobDeps.prober ?? networkProber(createOutboundGuard({ allow: [] })),
    log: jobDeps.log ?? (() => {}),
  };
  const { handler } = definition;
  // The runner parses each payload with this definition's own schema before calling its handler.
  return 'run' in handler ? (job, deps) => handler.run(job, deps, bound) : { batch: (jobs, deps) => handler.batch(jobs, deps, bound) };
}

/**
 * Checked at start, before the worker runs: jobs waiting in the database whose kind this version
 * does not define (written by another version) would die one by one as "no handler"; the start
 * stops instead, naming them, so the operator decides.
 */
export async function refuseUnhandledJobKinds(db: Db, registry: JobRegistry): Promise<void> {
  const unknown = (await countUnfinishedJobsByKind(db)).filter(({ kind }) => !registry.has(kind));
  if (unknown.length === 0) return;
  const listed = unknown.map(({ kind, n }) => `${n} of kind "${kind}"`).join(', ');
  throw new JobRegistryError(
    `The database holds jobs still to run that this version of Firebreak does not know: ${listed}. ` +
      'They were written by another version: start that version to let them finish, or remove them ' +
      "(DELETE FROM jobs WHERE kind = '…' AND state IN ('pending', 'running', 'held')) if they are no longer wanted.",
  );
}

/** How the worker runs: a claim lasts 5 minutes; sweeps every second, at once while busy. */
export const WORKER_OPTIONS = { leaseMs: 5 * 60_000, batchSize: 50, pollMs: 1_000 };
