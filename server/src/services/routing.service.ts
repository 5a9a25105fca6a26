import { gunzipSync, gzipSync } from 'node:zlib';
import type { RoutingModelStatus, RoutingSuggestions, TargetEvaluation } from '../../../core/contracts/routing.js';
import { fieldError } from '../../../core/errors.js';
import {
  type Example,
  type LabelEvaluation,
  notEnoughHistory,
  predict,
  ROUTER_MODEL_FORMAT,
  type TextModel,
  trainTextClassifier,
} from '../../../core/routing/classifier.js';
import { decodeModel, encodeModel, ModelFormatError } from '../../../core/routing/model-codec.js';
import type { TrainClassifier } from '../adapters/router-trainer.js';
import { scheduleJob } from '../jobs/schedule.js';
import { routingTrainJob } from '../jobs/specs/routing-train.job-spec.js';
import {
  findLatestRoutingModelSummary,
  findRoutingModel,
  findServiceName,
  hasUnfinishedJobOfKind,
  insertRoutingModel,
  listTrainingTickets,
  namesOfTeamsAndCategories,
  type TrainingTicket,
} from '../repositories/routing.repository.js';
import type { ServiceDeps } from './deps.js';

/**
 * The learned router (issue 18, item 5): trains on the desk's own resolved tickets in a durable
 * job, keeps each run (model and evaluation) in `routing_models`, and suggests a team and a
 * category for a ticket's text. The classifier itself is pure, in core/routing/.
 */

/** Fewer resolved tickets than this is "not enough history": no model is better than a guess. */
export const MIN_TRAINING_TICKETS = 20;
/** The newest resolved tickets trained on, so training time stays bounded on a long history. */
export const MAX_TRAINING_TICKETS = 100_000;

/** One text for the classifier: what the requester wrote and the service they chose. */
export function routingText(title: string, description: string, serviceName: string | null | undefined): string {
  return `${title}\n${description}\n${serviceName ?? ''}`;
}

/** Queues a training run (admins). Answers whether one was already waiting or running. */
export async function requestRouterTraining(deps: ServiceDeps): Promise<{ queued: true; training: boolean }> {
  const now = deps.clock.now();
  await scheduleJob(deps.db, routingTrainJob, { requestedAt: now.toISOString() }, { runAt: now, now });
  return { queued: true, training: true };
}

interface StoredEvaluation {
  teams: TargetEvaluation | null;
  categories: TargetEvaluation | null;
  trainingMs: number;
}

function named(evaluation: LabelEvaluation, names: Map<string, string>, classes: number): TargetEvaluation {
  const ref = (id: string) => ({ id, name: names.get(id) ?? 'deleted' });
  return {
    trainedOn: evaluation.trainedOn,
    examples: evaluation.examples,
    classes,
    accuracy: evaluation.accuracy,
    macroF1: evaluation.macroF1,
    majorityBaseline: evaluation.majorityBaseline,
    mostConfused: evaluation.mostConfused.map((p) => ({ actual: ref(p.actual), predicted: ref(p.predicted), count: p.count })),
  };
}

function examplesOf(rows: readonly TrainingTicket[], target: 'teamId' | 'categoryId'): Example[] {
  const examples: Example[] = [];
  for (const row of rows) {
    const label = row[target];
    if (label) examples.push({ text: routingText(row.title, row.description, row.serviceName), label });
  }
  return examples;
}

/** Trains in the caller's thread (benchmarks, scripts); the job passes `trainOnWorkerThread`. */
const inThisThread: TrainClassifier = async (examples) => trainTextClassifier(examples);

/**
 * The training job's work: learn text → team and text → category from the resolved tickets, and
 * store the run. Too little history for teams stores a `not_enough_history` run (no model); too
 * little for categories stores a model for teams only.
 */
export async function trainRouter(deps: ServiceDeps, train: TrainClassifier = inThisThread): Promise<void> {
  const started = performance.now();
  const rows = await listTrainingTickets(deps.db, MAX_TRAINING_TICKETS);
  const teamExamples = examplesOf(rows, 'teamId');
  const categoryExamples = examplesOf(rows, 'categoryId');
  const trainedAt = deps.clock.now();
  const reason = notEnoughHistory(
    teamExamples.map((e) => e.label),
    MIN_TRAINING_TICKETS,
  );
  if (reason) {
    await insertRoutingModel(deps.db, {
      status: 'not_enough_history',
      format: ROUTER_MODEL_FORMAT,
      reason: `Not enough history: ${reason}.`,
      trainedAt,
    });
    return;
  }
  const names = await namesOfTeamsAndCategories(deps.db);
  const team = await train(teamExamples);
  const category =
    notEnoughHistory(
      categoryExamples.map((e) => e.label),
      MIN_TRAINING_TICKETS,
    ) === null
      ? await train(categoryExamples)
      : null;
  const evaluation: StoredEvaluation = {
    teams: named(team.evaluation, names.teams, team.model.labels.length),
    categories: category ? named(category.evaluation, names.categories, category.model.labels.length) : null,
    trainingMs: Math.round(performance.now() - started),
  };
  const teamStored = encodeModel(team.model);
  const categoryStored = category ? encodeModel(category.model) : null;
  await insertRoutingModel(deps.db, {
    status: 'ready',
    format: ROUTER_MODEL_FORMAT,
    // Gzipped: weights of features the desk's words never hit are zeros, which compress to nothing.
    teamHeader: teamStored.header,
    teamWeights: gzipSync(teamStored.bytes),
    categoryHeader: categoryStored?.header ?? null,
    categoryWeights: categoryStored ? gzipSync(categoryStored.bytes) : null,
    evaluation: evaluation as unknown as Record<string, unknown>,
    trainedAt,
  });
}

/** The router's state and its model's evaluation (`getRouterOverview` adds the feedback from its use). */
export async function getRouterStatus(deps: ServiceDeps): Promise<Omit<RoutingModelStatus, 'feedback'>> {
  const [latest, training] = [await findLatestRoutingModelSummary(deps.db), await hasUnfinishedJobOfKind(deps.db, routingTrainJob.kind)];
  if (!latest) return { state: 'none', training, trainedAt: null, reason: null, teams: null, categories: null, trainingMs: null };
  const evaluation = latest.evaluation as unknown as StoredEvaluation | null;
  if (latest.status === 'ready' && latest.format !== ROUTER_MODEL_FORMAT) {
    // A model from another version of Firebreak: retrained, never read.
    await scheduleRetrainFor(deps, latest.id);
    return {
      state: 'none',
      training: true,
      trainedAt: latest.trainedAt.toISOString(),
      reason: `The stored model has format ${latest.format}, which this version does not read; it is being retrained.`,
      teams: null,
      categories: null,
      trainingMs: null,
    };
  }
  return {
    state: latest.status,
    training,
    trainedAt: latest.trainedAt.toISOString(),
    reason: latest.reason,
    teams: evaluation?.teams ?? null,
    categories: evaluation?.categories ?? null,
    trainingMs: evaluation?.trainingMs ?? null,
  };
}

async function scheduleRetrainFor(deps: ServiceDeps, modelId: string): Promise<void> {
  const now = deps.clock.now();
  // One retraining per outdated model, however many requests find it.
  await scheduleJob(
    deps.db,
    { ...routingTrainJob, idOf: () => `routing.train:retrain:${modelId}` },
    { requestedAt: now.toISOString() },
    { runAt: now, now },
  );
}

interface LoadedModels {
  id: string;
  team: TextModel | null;
  category: TextModel | null;
}

/**
 * The models this process has in memory, by run id (ids are unique across databases, so tests
 * that run several share it safely). Each suggestion asks the database only for the newest run's
 * id; the weights are read and decoded when it changes. Keyed by id rather than by the database
 * handle so that a suggestion made inside a transaction (a new ticket's) finds them too.
 */
const loaded = new Map<string, LoadedModels>();
const KEPT_RUNS = 4;

function remember(models: LoadedModels): void {
  loaded.delete(models.id);
  loaded.set(models.id, models);
  for (const id of loaded.keys()) if (loaded.size > KEPT_RUNS) loaded.delete(id);
}

async function currentModels(deps: ServiceDeps): Promise<LoadedModels | null> {
  const latest = await findLatestRoutingModelSummary(deps.db);
  if (latest?.status !== 'ready') return null;
  if (latest.format !== ROUTER_MODEL_FORMAT) {
    await scheduleRetrainFor(deps, latest.id);
    return null;
  }
  const cached = loaded.get(latest.id);
  if (cached) return cached;
  const row = await findRoutingModel(deps.db, latest.id);
  if (!row?.teamHeader || !row.teamWeights) return null;
  try {
    const models: LoadedModels = {
      id: row.id,
      team: decodeModel(row.teamHeader, gunzipSync(row.teamWeights)),
      category: row.categoryHeader && row.categoryWeights ? decodeModel(row.categoryHeader, gunzipSync(row.categoryWeights)) : null,
    };
    remember(models);
    return models;
  } catch (error) {
    // A model that does not decode is treated as outdated: retrained, and no suggestion meanwhile.
    if (!(error instanceof ModelFormatError)) throw error;
    await scheduleRetrainFor(deps, latest.id);
    return null;
  }
}

/** Teams and categories for a ticket's text, most likely first; empty lists while there is no model. */
export async function suggestRouting(
  deps: ServiceDeps,
  input: { title: string; description: string; serviceId?: string },
): Promise<RoutingSuggestions> {
  let serviceName: string | undefined;
  if (input.serviceId) {
    serviceName = await findServiceName(deps.db, input.serviceId);
    if (serviceName === undefined) throw fieldError('validation_failed', 'serviceId', 'is not a known service');
  }
  const models = await currentModels(deps);
  if (!models) return { teams: [], categories: [] };
  const text = routingText(input.title, input.description, serviceName);
  const names = await namesOfTeamsAndCategories(deps.db);
  const ranked = (model: TextModel | null, byId: Map<string, string>) =>
    model
      ? predict(model, text)
          // A team or category deleted since training is not offered.
          .filter((p) => byId.has(p.label))
          .map((p) => ({ id: p.label, name: byId.get(p.label) ?? '', confidence: p.confidence }))
      : [];
  return { teams: ranked(models.team, names.teams), categories: ranked(models.category, names.categories) };
}

/**
 * The router's best team (or category) for a new ticket's text, with its confidence, its name
 * and the run that said so; null without a model or when its best choice no longer exists.
 */
export async function bestChoiceFor(
  deps: ServiceDeps,
  target: 'team' | 'category',
  input: { title: string; description: string; serviceId?: string | null },
): Promise<{ id: string; name: string; confidence: number; modelId: string } | null> {
  const models = await currentModels(deps);
  const model = models?.[target];
  if (!models || !model) return null;
  const serviceName = input.serviceId ? await findServiceName(deps.db, input.serviceId) : undefined;
  const names = await namesOfTeamsAndCategories(deps.db);
  const byId = target === 'team' ? names.teams : names.categories;
  const best = predict(model, routingText(input.title, input.description, serviceName)).find((p) => byId.has(p.label));
  return best ? { id: best.label, name: byId.get(best.label) ?? '', confidence: best.confidence, modelId: models.id } : null;
}
