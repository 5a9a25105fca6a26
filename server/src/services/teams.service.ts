import { fieldError, notFound } from '../../../core/errors.js';
import type { AssignmentStrategy } from '../../../core/fair-assignment.js';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../repositories/database-errors.js';
import { findScheduleById } from '../repositories/on-call.repository.js';
import { findCalendarById } from '../repositories/sla.repository.js';
import {
  findTeamById,
  insertTeam,
  listMemberIds,
  listTeams,
  replaceMembers,
  type TeamRow,
  updateTeam,
} from '../repositories/teams.repository.js';
import { changingConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';

export type TeamWithMembers = TeamRow & { memberIds: string[] };

export interface TeamInput {
  name?: string;
  description?: string;
  managerId?: string | null;
  memberIds?: string[];
  assignmentStrategy?: AssignmentStrategy | null;
  assignmentCap?: number | null;
  shiftScheduleId?: string | null;
  workingHoursCalendarId?: string | null;
}

export async function createTeam(deps: ServiceDeps, input: TeamInput & { name: string }): Promise<TeamWithMembers> {
  return changingConfig(deps.configCache, 'teams', () =>
    deps.db.transaction(async (tx) => {
      await checkPeople(tx, input);
      await checkAssignmentReferences(tx, input);
      const team = await insertTeam(tx, {
        name: input.name,
        description: input.description ?? '',
        managerId: input.managerId ?? null,
        assignmentStrategy: input.assignmentStrategy ?? null,
        assignmentCap: input.assignmentCap ?? null,
        shiftScheduleId: input.shiftScheduleId ?? null,
        workingHoursCalendarId: input.workingHoursCalendarId ?? null,
        createdAt: deps.clock.now(),
      }).catch(rethrowDuplicateName(input.name));
      await replaceMembers(tx, team.id, unique(input.memberIds ?? []));
      return { ...team, memberIds: unique(input.memberIds ?? []) };
    }),
  );
}

export async function updateTeamById(deps: ServiceDeps, id: string, input: TeamInput): Promise<TeamWithMembers> {
  return changingConfig(deps.configCache, 'teams', () =>
    deps.db.transaction(async (tx) => {
      if (!(await findTeamById(tx, id))) throw notFound('team');
      await checkPeople(tx, input);
      await checkAssignmentReferences(tx, input);
      const { memberIds, ...fields } = input;
      const team = (await updateTeam(tx, id, fields).catch(rethrowDuplicateName(input.name ?? ''))) as TeamRow;
      if (memberIds) await replaceMembers(tx, id, unique(memberIds));
      const members = await listMemberIds(tx, [id]);
      return { ...team, memberIds: members.get(id) ?? [] };
    }),
  );
}

export async function listTeamsWithMembers(db: Db): Promise<TeamWithMembers[]> {
  const teams = await listTeams(db);
  const members = await listMemberIds(
    db,
    teams.map((t) => t.id),
  );
  return teams.map((t) => ({ ...t, memberIds: members.get(t.id) ?? [] }));
}

export async function getTeam(db: Db, id: string): Promise<TeamWithMembers> {
  const team = await findTeamById(db, id);
  if (!team) throw notFound('team');
  const members = await listMemberIds(db, [id]);
  return { ...team, memberIds: members.get(id) ?? [] };
}

async function checkPeople(db: Db, input: TeamInput): Promise<void> {
  if (input.managerId) await requireActiveUsers(db, [input.managerId], 'agent', 'managerId');
  if (input.memberIds?.length) await requireActiveUsers(db, input.memberIds, 'agent', 'memberIds');
}

/** The shift schedule and working hours a team's fair assignment honours must exist. */
async function checkAssignmentReferences(db: Db, input: TeamInput): Promise<void> {
  if (input.shiftScheduleId && !(await findScheduleById(db, input.shiftScheduleId))) {
    throw fieldError('unprocessable', 'shiftScheduleId', `no on-call schedule has the id ${input.shiftScheduleId}`);
  }
  if (input.workingHoursCalendarId && !(await findCalendarById(db, input.workingHoursCalendarId))) {
    throw fieldError('unprocessable', 'workingHoursCalendarId', `no business calendar has the id ${input.workingHoursCalendarId}`);
  }
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** Turns the database's unique-name violation into a 409 that names the field. */
export function rethrowDuplicateName(name: string) {
  return (err: unknown): never => {
    if (isUniqueViolation(err)) throw fieldError('conflict', 'name', `"${name}" is already taken`);
    throw err;
  };
}
