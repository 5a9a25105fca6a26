import { fieldError } from '../../../core/errors.js';
import { DEFAULT_OWNERSHIP, type IncidentOwnership, type OwnerHolder } from '../../../core/incident-links.js';
import { hasRoleAtLeast, type Scope } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { readSetting, writeSetting } from '../repositories/settings.repository.js';
import { findTeamById, listTeamIdsOfUser } from '../repositories/teams.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';

const KEY = 'incident_ownership';

/** Who owns local and global incidents (the CSM and TM roles by default), as an admin set it. */
export async function getIncidentOwnership(db: Db): Promise<IncidentOwnership> {
  const stored = await readSetting<IncidentOwnership>(db, KEY);
  return { ...DEFAULT_OWNERSHIP, ...stored };
}

/** Stores the ownership roles after checking each holder exists (a person on the desk, or a team with a manager). */
export async function setIncidentOwnership(deps: ServiceDeps, value: IncidentOwnership): Promise<IncidentOwnership> {
  for (const scope of ['local', 'global'] as const) await checkHolder(deps.db, value[scope].holder, `${scope}.holder`);
  await writeSetting(deps.db, KEY, value, deps.clock.now());
  return value;
}

async function checkHolder(db: Db, holder: OwnerHolder, field: string): Promise<void> {
  if (holder === null) return;
  if (holder.kind === 'person') {
    const user = await findUserById(db, holder.userId);
    if (!user) throw fieldError('unprocessable', `${field}.userId`, `no person has the id ${holder.userId}`);
    if (!user.active || !hasRoleAtLeast(user.role, 'agent')) {
      throw fieldError('unprocessable', `${field}.userId`, `${user.name} cannot own incidents: choose an active member of the desk`);
    }
    return;
  }
  const team = await findTeamById(db, holder.teamId);
  if (!team) throw fieldError('unprocessable', `${field}.teamId`, `no team has the id ${holder.teamId}`);
  if (!team.managerId)
    throw fieldError('unprocessable', `${field}.teamId`, `${team.name} has no manager to own incidents: give it one first`);
}

/** The owner of an incident of this scope: the role's name and who holds it now (null: nobody configured). */
export interface ScopeOwner {
  roleName: string;
  assigneeId: string | null;
  /** The holder's team; null keeps the ticket's team. */
  teamId: string | null;
}

export async function ownerForScope(db: Db, scope: Scope, currentTeamId: string | null): Promise<ScopeOwner> {
  const role = (await getIncidentOwnership(db))[scope];
  const holder = role.holder;
  if (holder === null) return { roleName: role.name, assigneeId: null, teamId: null };
  if (holder.kind === 'team') {
    const team = await findTeamById(db, holder.teamId);
    return { roleName: role.name, assigneeId: team?.managerId ?? null, teamId: team?.managerId ? team.id : null };
  }
  const user = await findUserById(db, holder.userId);
  if (!user?.active) return { roleName: role.name, assigneeId: null, teamId: null };
  // Their team: the ticket's own when they belong to it, otherwise the first they belong to.
  const teamIds = await listTeamIdsOfUser(db, user.id);
  const teamId = currentTeamId && teamIds.includes(currentTeamId) ? currentTeamId : (teamIds[0] ?? null);
  return { roleName: role.name, assigneeId: user.id, teamId };
}
