import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { decideRoleAction, type Holding, type RoleAction } from '../../../core/incident-roles.js';
import { type Actor, isAdmin, isStaff } from '../../../core/permissions.js';
import { isUniqueViolation } from '../repositories/database-errors.js';
import {
  endRoleAssignment,
  findIncidentRole,
  type IncidentRoleRow,
  insertIncidentRole,
  insertRoleAssignment,
  listCurrentHoldings,
  listHoldingsOfPerson,
  listIncidentRoles,
  saveIncidentRole,
} from '../repositories/major-incidents.repository.js';
import { findUsersByIds } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { checkVersion, lockMajorIncident, noteOnIncident, readMajorIncident } from './major-incident-response.helpers.js';

/**
 * Response roles (issue 14 item 4): the roster an admin defines, and who holds which role on a
 * major incident. `core/incident-roles.ts` decides every assign, hand-over and release; the
 * incident's row lock serialises two people taking the same role at once (the loser gets 409
 * naming the holder), and a partial unique index refuses it again should a writer ever skip the lock.
 */

export interface RoleInput {
  name?: string;
  description?: string;
  checklist?: string[];
  singleHolder?: boolean;
  pages?: boolean;
  position?: number;
  active?: boolean;
}

function refuseUnlessAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'only an admin can change the roster of response roles');
}

export async function listRoster(deps: ServiceDeps, actor: Actor): Promise<IncidentRoleRow[]> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff see the roster of response roles');
  return listIncidentRoles(deps.db);
}

export async function createRosterRole(deps: ServiceDeps, actor: Actor, input: Required<Omit<RoleInput, 'active'>>) {
  refuseUnlessAdmin(actor);
  const now = deps.clock.now();
  try {
    return await insertIncidentRole(deps.db, { ...input, createdAt: now, updatedAt: now });
  } catch (err) {
    if (isUniqueViolation(err)) throw fieldError('conflict', 'name', `a role named “${input.name}” exists already`);
    throw err;
  }
}

export async function updateRosterRole(deps: ServiceDeps, actor: Actor, id: string, input: RoleInput, expectedVersion?: number) {
  refuseUnlessAdmin(actor);
  const role = await findIncidentRole(deps.db, id);
  if (!role) throw notFound('role');
  checkVersion('role', role.version, expectedVersion);
  try {
    const saved = await saveIncidentRole(deps.db, id, { ...input, updatedAt: deps.clock.now() }, role.version);
    if (!saved) checkVersion('role', role.version + 1, role.version); // changed between the read and the write
    return saved as IncidentRoleRow;
  } catch (err) {
    if (isUniqueViolation(err)) throw fieldError('conflict', 'name', `a role named “${input.name}” exists already`);
    throw err;
  }
}

/** The incident's current role holders (the top of the war room). */
export async function listRoleHolders(deps: ServiceDeps, actor: Actor, ticketId: string) {
  await readMajorIncident(deps.db, actor, ticketId);
  return listCurrentHoldings(deps.db, ticketId);
}

/** "What is my role": the incidents on which the person holds a role now. */
export async function myIncidentRoles(deps: ServiceDeps, actor: Actor) {
  return listHoldingsOfPerson(deps.db, actor.id);
}

/**
 * Gives `userId` a role on the incident, or — with `fromUserId` — hands it over from the current
 * holder at the same instant. On the timeline; the new holder is notified (paged when the role
 * pages) by the pipeline from the event.
 */
export async function assignRole(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  input: { roleId: string; userId: string; fromUserId?: string },
) {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockMajorIncident(tx, actor, ticketId);
    const role = await findIncidentRole(tx, input.roleId);
    if (!role) throw fieldError('unprocessable', 'roleId', `no response role has the id ${input.roleId}`);
    if (!role.active) throw fieldError('unprocessable', 'roleId', `${role.name} is retired and can no longer be assigned`);
    await requireActiveUsers(tx, [input.userId], 'agent', 'userId');
    const current = await listCurrentHoldings(tx, ticket.id);
    const action: RoleAction = input.fromUserId
      ? { kind: 'hand_over', roleId: role.id, fromUserId: input.fromUserId, toUserId: input.userId }
      : { kind: 'assign', roleId: role.id, singleHolder: role.singleHolder, userId: input.userId };
    const decision = decideRoleAction(holdingsOf(current), action);
    const names = new Map(current.map((c) => [c.assignment.userId, c.holderName]));
    const [person] = await findUsersByIds(tx, [input.userId]);
    if (!decision.ok) {
      switch (decision.reason) {
        case 'held_by_other': {
          const holder = names.get(decision.holderId) ?? 'someone';
          throw new AppError(
            'conflict',
            `${holder} already holds ${role.name} on ${ticket.number}: only one person holds it at a time; ask them to hand it over`,
            { extra: { holder: { id: decision.holderId, name: holder } } },
          );
        }
        case 'already_holder':
          throw new AppError('conflict', `${person.name} already holds ${role.name} on ${ticket.number}`);
        case 'not_holder':
          throw fieldError(
            'conflict',
            'fromUserId',
            `${names.get(input.fromUserId ?? '') ?? 'that person'} does not hold ${role.name} on ${ticket.number}`,
          );
        case 'same_person':
          throw fieldError('validation_failed', 'fromUserId', 'a hand-over goes to someone else');
      }
    }
    const now = deps.clock.now();
    for (const ended of decision.end) {
      const row = current.find((c) => c.assignment.roleId === ended.roleId && c.assignment.userId === ended.userId);
      if (row) await endRoleAssignment(tx, row.assignment.id, now, actor.id);
    }
    try {
      await insertRoleAssignment(tx, {
        ticketId: ticket.id,
        roleId: role.id,
        userId: input.userId,
        singleHolder: decision.start?.singleHolder ?? role.singleHolder,
        since: now,
        assignedById: actor.id,
      });
    } catch (err) {
      // Only reachable by a writer that did not lock the incident: the index keeps the rule anyway.
      if (isUniqueViolation(err)) throw new AppError('conflict', `${role.name} on ${ticket.number} was just taken by someone else`);
      throw err;
    }
    const from = input.fromUserId ? (names.get(input.fromUserId) ?? 'someone') : null;
    await noteOnIncident(tx, ticket, actor, now, [
      {
        type: from ? 'role_handed_over' : 'role_assigned',
        body: from ? `${from} handed ${role.name} over to ${person.name}` : `${person.name} is now ${role.name}`,
        data: { roleId: role.id, roleName: role.name, userId: input.userId, fromUserId: input.fromUserId ?? null, pages: role.pages },
      },
    ]);
    return listCurrentHoldings(tx, ticket.id);
  });
}

/** A holder gives a role up (or the desk takes it from them): on the timeline. */
export async function releaseRole(deps: ServiceDeps, actor: Actor, ticketId: string, input: { roleId: string; userId: string }) {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockMajorIncident(tx, actor, ticketId);
    const role = await findIncidentRole(tx, input.roleId);
    if (!role) throw fieldError('unprocessable', 'roleId', `no response role has the id ${input.roleId}`);
    const current = await listCurrentHoldings(tx, ticket.id);
    const decision = decideRoleAction(holdingsOf(current), { kind: 'release', roleId: role.id, userId: input.userId });
    if (!decision.ok) throw fieldError('conflict', 'userId', `that person does not hold ${role.name} on ${ticket.number}`);
    const now = deps.clock.now();
    const row = current.find((c) => c.assignment.roleId === role.id && c.assignment.userId === input.userId);
    if (!row) throw new Error('a decided release names a holding that is not there');
    await endRoleAssignment(tx, row.assignment.id, now, actor.id);
    await noteOnIncident(tx, ticket, actor, now, [
      {
        type: 'role_released',
        body: `${row.holderName} is no longer ${role.name}`,
        data: { roleId: role.id, roleName: role.name, userId: input.userId },
      },
    ]);
    return listCurrentHoldings(tx, ticket.id);
  });
}

function holdingsOf(rows: Awaited<ReturnType<typeof listCurrentHoldings>>): Holding[] {
  return rows.map((r) => ({ roleId: r.assignment.roleId, userId: r.assignment.userId, singleHolder: r.assignment.singleHolder }));
}
