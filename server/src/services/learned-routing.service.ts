import type { RoutingDecisionCounts, RoutingFeedback, RoutingModelStatus, RoutingSettings } from '../../../core/contracts/routing.js';
import type { Db, Tx } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { routingRetrainDueJob } from '../jobs/specs/routing-retrain-due.job-spec.js';
import { routingTrainJob } from '../jobs/specs/routing-train.job-spec.js';
import { findLatestRoutingModelSummary, hasUnfinishedJobOfKind } from '../repositories/routing.repository.js';
import { type DecisionOutcome, insertRoutingDecision, listDecisionOutcomes } from '../repositories/routing-decisions.repository.js';
import { readSetting, writeSetting } from '../repositories/settings.repository.js';
import { type ConfigCache, changingConfig, readConfig } from './config-cache.js';
import type { ServiceDeps, TxDeps } from './deps.js';
import { bestChoiceFor, getRouterStatus, requestRouterTraining } from './routing.service.js';

/**
 * The learned router at work (issue 18, item 5): routing new tickets that arrive without a team
 * when it is confident enough, recording each decision so people's later choices are its
 * feedback, and retraining on the admin's schedule.
 */

const SETTING = 'routing_settings';
const DEFAULT_SETTINGS: RoutingSettings = { autoRouteAbove: null, retrainEveryHours: null };
const HOUR_MS = 3_600_000;
const FEEDBACK_DAYS = 30;

/**
 * Read on every new ticket without a category or team: through the process's configuration cache
 * when there is one (no stored settings is cached as null, the defaults).
 */
export async function getRoutingSettings(db: Db, cache?: ConfigCache): Promise<RoutingSettings> {
  const stored = await readConfig(
    cache,
    'settings',
    SETTING,
    async () => (await readSetting<Partial<RoutingSettings>>(db, SETTING)) ?? null,
  );
  return { ...DEFAULT_SETTINGS, ...stored };
}

export async function saveRoutingSettings(deps: ServiceDeps, settings: RoutingSettings): Promise<RoutingSettings> {
  await changingConfig(deps.configCache, 'settings', () => writeSetting(deps.db, SETTING, settings, deps.clock.now()));
  return settings;
}

/** What the router said about a new ticket without a team; `applied`: it gave the team itself. */
export interface RouterAdvice {
  teamId: string;
  confidence: number;
  applied: boolean;
  modelId: string;
}

/** Inside the new ticket's transaction: the router's team for it, applied when confidence reaches the admin's threshold. */
export async function adviseNewTicket(
  deps: TxDeps,
  input: { title: string; description: string; serviceId?: string | null },
): Promise<RouterAdvice | null> {
  const best = await bestChoiceFor(deps, 'team', input);
  if (!best) return null;
  const { autoRouteAbove } = await getRoutingSettings(deps.db, deps.configCache);
  return {
    teamId: best.id,
    confidence: best.confidence,
    modelId: best.modelId,
    applied: autoRouteAbove !== null && best.confidence >= autoRouteAbove,
  };
}

/** What the router said about the category of a new ticket reported without one; `applied`: it set it. */
export interface CategoryAdvice {
  categoryId: string;
  name: string;
  confidence: number;
  applied: boolean;
  modelId: string;
}

/**
 * Inside the new ticket's transaction: the router's category for a ticket reported without one,
 * applied when its confidence reaches the admin's threshold (the same one as for teams), else only
 * recorded as a suggestion (the ticket page asks the router itself and offers it). With no
 * threshold set the router is not consulted here at all: a ticket creation then reads no model.
 */
export async function categoryForNewTicket(
  deps: TxDeps,
  input: { title: string; description: string; serviceId?: string | null },
): Promise<CategoryAdvice | null> {
  const { autoRouteAbove } = await getRoutingSettings(deps.db, deps.configCache);
  if (autoRouteAbove === null) return null;
  const best = await bestChoiceFor(deps, 'category', input);
  if (!best) return null;
  return {
    categoryId: best.id,
    name: best.name,
    confidence: best.confidence,
    applied: best.confidence >= autoRouteAbove,
    modelId: best.modelId,
  };
}

export async function recordAdvice(tx: Tx, ticketId: string, advice: RouterAdvice, at: Date): Promise<void> {
  await insertRoutingDecision(tx, {
    ticketId,
    target: 'team',
    teamId: advice.teamId,
    confidence: advice.confidence,
    applied: advice.applied,
    modelId: advice.modelId,
    decidedAt: at,
  });
}

/** The category decision, kept as the team's is, so people's later choice is its feedback. */
export async function recordCategoryAdvice(tx: Tx, ticketId: string, advice: CategoryAdvice, at: Date): Promise<void> {
  await insertRoutingDecision(tx, {
    ticketId,
    target: 'category',
    categoryId: advice.categoryId,
    confidence: advice.confidence,
    applied: advice.applied,
    modelId: advice.modelId,
    decidedAt: at,
  });
}

/** The last 30 days' decisions, for teams and for categories, against what people did next (Admin › Routing). */
export async function getRoutingFeedback(deps: ServiceDeps): Promise<RoutingFeedback> {
  const since = new Date(deps.clock.now().getTime() - FEEDBACK_DAYS * 24 * HOUR_MS);
  const teams = countOutcomes(await listDecisionOutcomes(deps.db, since, 'team'));
  const categories = countOutcomes(await listDecisionOutcomes(deps.db, since, 'category'));
  return { since: since.toISOString(), ...teams, categories };
}

function countOutcomes(outcomes: readonly DecisionOutcome[]): RoutingDecisionCounts {
  const counts: RoutingDecisionCounts = { routed: 0, corrected: 0, suggested: 0, taken: 0, otherChosen: 0 };
  for (const o of outcomes) {
    const chose = o.chosenId !== null;
    const same = chose && o.chosenId === o.decidedId;
    if (o.applied) {
      counts.routed++;
      if (chose && !same) counts.corrected++;
    } else {
      counts.suggested++;
      if (same) counts.taken++;
      else if (chose) counts.otherChosen++;
    }
  }
  return counts;
}

/** Admin › Routing: the model's state and evaluation, and how its decisions fared in use. */
export async function getRouterOverview(deps: ServiceDeps): Promise<RoutingModelStatus> {
  return { ...(await getRouterStatus(deps)), feedback: await getRoutingFeedback(deps) };
}

const hourSlot = (at: Date, hoursAhead: number) => new Date((Math.floor(at.getTime() / HOUR_MS) + hoursAhead) * HOUR_MS);

/** Called at every start: asks for this hour's check (a no-op if it ran or waits), so the chain exists. */
export async function scheduleRetrainingCheck(deps: ServiceDeps): Promise<void> {
  const now = deps.clock.now();
  await scheduleJob(deps.db, routingRetrainDueJob, {}, { runAt: hourSlot(now, 0), now });
}

/**
 * The hourly check: schedules the next hour's first (a failing check does not end the chain), then
 * asks for training when the admin set an interval and the newest run is older than it (or there
 * is none), unless a training already waits or runs.
 */
export async function retrainIfDue(deps: ServiceDeps): Promise<{ requested: boolean }> {
  const now = deps.clock.now();
  await scheduleJob(deps.db, routingRetrainDueJob, {}, { runAt: hourSlot(now, 1), now });
  const { retrainEveryHours } = await getRoutingSettings(deps.db);
  if (retrainEveryHours === null) return { requested: false };
  const latest = await findLatestRoutingModelSummary(deps.db);
  if (latest && now.getTime() - latest.trainedAt.getTime() < retrainEveryHours * HOUR_MS) return { requested: false };
  if (await hasUnfinishedJobOfKind(deps.db, routingTrainJob.kind)) return { requested: false };
  await requestRouterTraining(deps);
  return { requested: true };
}
