import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type EscalationLevel, validateEscalationPolicy } from '../../../core/paging.js';
import type { Db } from '../db/client.js';
import { findServiceById } from '../repositories/catalog.repository.js';
import {
  assignPolicy,
  type EscalationPolicyRow,
  findEscalationPolicyById,
  findSchedulesByIds,
  insertEscalationPolicy,
  listEscalationPolicies,
  listPolicyAssignments,
  updateEscalationPolicy,
} from '../repositories/on-call.repository.js';
import { findTeamById } from '../repositories/teams.repository.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { rethrowDuplicateName } from './teams.service.js';

export interface EscalationPolicyInput {
  name?: string;
  description?: string;
  levels?: EscalationLevel[];
  repeat?: number;
  /** The teams (and services) whose critical incidents page this policy; replaces the current set. */
  teamIds?: string[];
  serviceIds?: string[];
}

export type EscalationPolicyView = EscalationPolicyRow & { teamIds: string[]; serviceIds: string[] };

/** Checks the rules, then that every target exists: people (active staff), schedules, teams. */
async function checkPolicy(db: Db, input: { levels: EscalationLevel[]; repeat: number; teamIds?: string[]; serviceIds?: string[] }) {
  const problems = validateEscalationPolicy(input);
  if (problems.length > 0) {
    throw new AppError('validation_failed', `The policy cannot be used: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
      errors: problems,
    });
  }
  for (const [i, level] of input.levels.entries()) {
    const field = `levels.${i}.targets`;
    const users = level.targets.filter((t) => t.type === 'user').map((t) => t.id);
    if (users.length > 0) await requireActiveUsers(db, users, 'agent', field);
    const scheduleIds = level.targets.filter((t) => t.type === 'schedule').map((t) => t.id);
    const found = new Set((await findSchedulesByIds(db, scheduleIds)).map((s) => s.id));
    const missing = scheduleIds.find((id) => !found.has(id));
    if (missing) throw fieldError('unprocessable', field, `no schedule has the id ${missing}`);
    for (const target of level.targets.filter((t) => t.type === 'team')) {
      if (!(await findTeamById(db, target.id))) throw fieldError('unprocessable', field, `no team has the id ${target.id}`);
    }
  }
  for (const id of input.teamIds ?? []) {
    if (!(await findTeamById(db, id))) throw fieldError('unprocessable', 'teamIds', `no team has the id ${id}`);
  }
  for (const id of input.serviceIds ?? []) {
    if (!(await findServiceById(db, id))) throw fieldError('unprocessable', 'serviceIds', `no service has the id ${id}`);
  }
}

async function withAssignments(db: Db, policies: EscalationPolicyRow[]): Promise<EscalationPolicyView[]> {
  const assignments = await listPolicyAssignments(
    db,
    policies.map((p) => p.id),
  );
  return policies.map((p) => ({ ...p, ...(assignments.get(p.id) ?? { teamIds: [], serviceIds: [] }) }));
}

export async function createEscalationPolicy(
  deps: ServiceDeps,
  input: EscalationPolicyInput & { name: string; levels: EscalationLevel[] },
): Promise<EscalationPolicyView> {
  return deps.db.transaction(async (tx) => {
    const repeat = input.repeat ?? 0;
    await checkPolicy(tx, { ...input, repeat });
    const now = deps.clock.now();
    const policy = await insertEscalationPolicy(tx, {
      name: input.name,
      description: input.description ?? '',
      levels: input.levels,
      repeat,
      createdAt: now,
      updatedAt: now,
    }).catch(rethrowDuplicateName(input.name));
    await assignPolicy(tx, policy.id, input.teamIds, input.serviceIds);
    return (await withAssignments(tx, [policy]))[0];
  });
}

/** Changes apply to pages from their next step on: a running page reads the policy at each step. */
export async function updateEscalationPolicyById(
  deps: ServiceDeps,
  id: string,
  input: EscalationPolicyInput,
): Promise<EscalationPolicyView> {
  return deps.db.transaction(async (tx) => {
    const current = await findEscalationPolicyById(tx, id);
    if (!current) throw notFound('escalation policy');
    await checkPolicy(tx, { ...input, levels: input.levels ?? current.levels, repeat: input.repeat ?? current.repeat });
    const { teamIds, serviceIds, ...fields } = input;
    const policy = (await updateEscalationPolicy(tx, id, { ...fields, updatedAt: deps.clock.now() }).catch(
      rethrowDuplicateName(input.name ?? ''),
    )) as EscalationPolicyRow;
    await assignPolicy(tx, id, teamIds, serviceIds);
    return (await withAssignments(tx, [policy]))[0];
  });
}

export async function getEscalationPolicy(db: Db, id: string): Promise<EscalationPolicyView> {
  const policy = await findEscalationPolicyById(db, id);
  if (!policy) throw notFound('escalation policy');
  return (await withAssignments(db, [policy]))[0];
}

export async function listEscalationPolicyViews(db: Db): Promise<EscalationPolicyView[]> {
  return withAssignments(db, await listEscalationPolicies(db));
}
