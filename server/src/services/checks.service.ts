import { EMPTY_BASELINE } from '../../../core/alerts/baseline.js';
import { EMPTY_ERROR_RATE } from '../../../core/alerts/error-rate.js';
import { RoutingRule } from '../../../core/alerts/routing.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import type { CheckKind } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { findServiceById } from '../repositories/catalog.repository.js';
import {
  type CheckResultRow,
  type CheckRow,
  deleteCheckAndResults,
  findCheckById,
  insertCheck,
  listCheckResults,
  listChecks,
  lockCheck,
  updateCheck,
} from '../repositories/checks.repository.js';
import { findIntegrationById, type IntegrationRow } from '../repositories/integrations.repository.js';
import { ingestWithin } from './alert-intake.service.js';
import { checkAlert, scheduleRun } from './check-run.service.js';
import type { OutboundTargets, ServiceDeps, TxDeps } from './deps.js';
import { changeIntegration, createIntegration, revokeIntegration } from './integrations.service.js';

export interface CheckInput {
  name: string;
  serviceId?: string | null;
  kind: CheckKind;
  target: string;
  intervalSeconds: number;
  timeoutMs: number;
  expectStatus?: number | null;
  keyword?: string | null;
  maxLatencyMs?: number | null;
  failuresBeforeDown: number;
}

export type CheckChange = Partial<CheckInput> & { active?: boolean };

/**
 * Creates a check, its own integration (a check that is down opens an incident for its service;
 * a drift of latency or error rate records a disturbance) and its first run, now. Only what an
 * admin configures here is ever probed.
 */
export async function createCheck(deps: ServiceDeps & { outbound: OutboundTargets }, input: CheckInput): Promise<CheckRow> {
  const target = normaliseTarget(input.kind, input.target);
  await refusePrivateTarget(deps.outbound, input.kind, target);
  return deps.db.transaction(async (tx) => {
    const txDeps = { db: tx, clock: deps.clock };
    await checkService(tx, input.serviceId);
    const serviceId = input.serviceId ?? undefined;
    const { integration } = await createIntegration(txDeps, {
      name: `Check: ${input.name}`,
      source: 'generic',
      rules: [
        RoutingRule.parse({
          name: 'drift (latency or error rate)',
          match: { labels: { check_signal: 'drift' } },
          action: 'disturbance',
          serviceId,
          // One disturbance per signal that drifted, so each says what it is about.
          groupBy: ['check_id', 'check_signal', 'drift'],
        }),
        RoutingRule.parse({
          name: 'check down',
          action: 'incident',
          serviceId,
          groupBy: ['check_id', 'check_signal'],
          impact: 2,
          urgency: 1,
        }),
      ],
      resolveDelayMinutes: 5,
    });
    const now = deps.clock.now();
    const check = await insertCheck(tx, {
      name: input.name,
      serviceId: input.serviceId ?? null,
      kind: input.kind,
      target,
      intervalSeconds: input.intervalSeconds,
      timeoutMs: input.timeoutMs,
      expectStatus: input.expectStatus ?? null,
      keyword: input.keyword ?? null,
      maxLatencyMs: input.maxLatencyMs ?? null,
      failuresBeforeDown: input.failuresBeforeDown,
      integrationId: integration.id,
      baseline: EMPTY_BASELINE,
      errorRate: EMPTY_ERROR_RATE,
      createdAt: now,
    });
    await scheduleRun(tx, check.id, now, now);
    return { ...check, nextRunAt: now };
  });
}

/**
 * Edits, pauses (`active: false`) or resumes a check. A change to an active check takes effect at
 * once: the next probe runs now with the new settings (a probe already out is discarded). A new
 * target or kind is another thing to watch, so both baselines start over — and a drift raised
 * against the old one is resolved, since nothing will ever clear it. Pausing leaves open alerts
 * and tickets as they are: people decide about them.
 */
export async function changeCheck(deps: ServiceDeps & { outbound: OutboundTargets }, id: string, change: CheckChange): Promise<CheckRow> {
  if (change.target !== undefined || change.kind !== undefined) {
    // Resolved before the transaction: DNS must not hold the check's row lock.
    const before = await findCheckById(deps.db, id);
    if (!before) throw notFound('check');
    const kind = change.kind ?? before.kind;
    await refusePrivateTarget(deps.outbound, kind, normaliseTarget(kind, change.target ?? before.target));
  }
  return deps.db.transaction(async (tx) => {
    const txDeps = { db: tx, clock: deps.clock };
    const current = await lockCheck(tx, id);
    if (!current) throw notFound('check');
    if (change.serviceId !== undefined) await checkService(tx, change.serviceId);
    const kind = change.kind ?? current.kind;
    const target =
      change.target !== undefined || change.kind !== undefined ? normaliseTarget(kind, change.target ?? current.target) : current.target;
    const watchesSomethingElse = kind !== current.kind || target !== current.target;
    const now = deps.clock.now();
    if (watchesSomethingElse) await resolveDrifts(txDeps, current, now);
    const active = change.active ?? current.active;
    const saved = (await updateCheck(tx, id, {
      ...pick(change, [
        'name',
        'serviceId',
        'intervalSeconds',
        'timeoutMs',
        'expectStatus',
        'keyword',
        'maxLatencyMs',
        'failuresBeforeDown',
      ]),
      kind,
      target,
      active,
      ...(watchesSomethingElse ? { baseline: EMPTY_BASELINE, errorRate: EMPTY_ERROR_RATE } : {}),
      // A paused check has no run ahead; any job still queued finds it inactive (or stale) and does nothing.
      nextRunAt: active ? now : null,
    })) as CheckRow;
    if (change.name !== undefined && change.name !== current.name) {
      await changeIntegration(txDeps, current.integrationId, { name: `Check: ${change.name}` });
    }
    if (active) await scheduleRun(tx, id, now, now);
    return saved;
  });
}

/** "Check now": the next probe runs at once through the job runner, and the cadence continues from it. */
export async function runCheckNow(deps: ServiceDeps, id: string): Promise<CheckRow> {
  return deps.db.transaction(async (tx) => {
    const current = await lockCheck(tx, id);
    if (!current) throw notFound('check');
    if (!current.active) throw new AppError('conflict', 'this check is paused; resume it to probe it');
    const now = deps.clock.now();
    await scheduleRun(tx, id, now, now);
    return { ...current, nextRunAt: now };
  });
}

/**
 * Deletes a check and its probe history, and revokes its integration. The alerts and tickets it
 * raised stay (they are part of those tickets' history), as they are: people decide about them.
 */
export async function deleteCheck(deps: ServiceDeps, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const current = await lockCheck(tx, id);
    if (!current) throw notFound('check');
    await deleteCheckAndResults(tx, id);
    await revokeIntegration({ db: tx, clock: deps.clock }, current.integrationId);
  });
}

export { listChecks };

export async function getCheck(db: Db, id: string): Promise<CheckRow> {
  const row = await findCheckById(db, id);
  if (!row) throw notFound('check');
  return row;
}

export async function checkResults(db: Db, id: string, since: Date, limit: number): Promise<CheckResultRow[]> {
  await getCheck(db, id);
  return listCheckResults(db, id, since, limit);
}

async function checkService(db: Db, serviceId: string | null | undefined): Promise<void> {
  if (serviceId && !(await findServiceById(db, serviceId))) {
    throw fieldError('unprocessable', 'serviceId', `no service has the id ${serviceId}`);
  }
}

async function resolveDrifts(txDeps: TxDeps, check: CheckRow, now: Date): Promise<void> {
  const reason = 'the check now watches another target, so its baseline starts over';
  const alerts = [
    ...(check.baseline.drifting
      ? [checkAlert(check, 'latency', 'resolved', `${check.name}: latency drift ended, ${reason}`, now, {})]
      : []),
    ...(check.errorRate.drifting
      ? [checkAlert(check, 'error_rate', 'resolved', `${check.name}: error-rate drift ended, ${reason}`, now, {})]
      : []),
  ];
  if (alerts.length === 0) return;
  const integration = (await findIntegrationById(txDeps.db, check.integrationId)) as IntegrationRow;
  await ingestWithin(txDeps, integration, alerts);
}

function pick<T extends object, K extends keyof T>(source: T, names: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(names.filter((n) => source[n] !== undefined).map((n) => [n, source[n]])) as Partial<Pick<T, K>>;
}

/**
 * A target that is, or resolves to, a private address is refused here with the reason (unless
 * FIREBREAK_ALLOW_PRIVATE_TARGETS allows it); every probe checks again, since DNS can change.
 */
async function refusePrivateTarget(outbound: OutboundTargets, kind: CheckKind, target: string): Promise<void> {
  const host = kind === 'http' ? new URL(target).hostname : target.slice(0, target.lastIndexOf(':'));
  const refusal = await outbound.refusalFor(host);
  if (refusal) throw fieldError('unprocessable', 'target', refusal);
}

function normaliseTarget(kind: CheckKind, target: string): string {
  if (kind === 'http') {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw fieldError('validation_failed', 'target', 'must be an http:// or https:// URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw fieldError('validation_failed', 'target', 'must be an http:// or https:// URL');
    return url.toString();
  }
  const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/.exec(target);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535)
    throw fieldError('validation_failed', 'target', 'must be host:port, e.g. db.example.com:5432');
  return target;
}
