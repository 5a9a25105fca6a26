import { AppError, fieldError, notFound } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import { DEFAULT_UPDATE_TEMPLATES, templateProblems, type UpdateTemplates } from '../../../core/stakeholder-updates.js';
import type { Db } from '../db/client.js';
import { findServiceById } from '../repositories/catalog.repository.js';
import { readSetting, writeSetting } from '../repositories/settings.repository.js';
import {
  type AudienceRow,
  deleteAudience,
  findAudience,
  findAudienceByName,
  insertAudience,
  listAudiences,
  saveAudience,
} from '../repositories/stakeholder-updates.repository.js';
import { findTeamById } from '../repositories/teams.repository.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { checkVersion } from './major-incident-response.helpers.js';

/**
 * What an admin sets up for stakeholder updates (issue 15): the lists of people to tell
 * ("IT leadership": people, teams, addresses outside Firebreak, proposed on the incidents of the
 * services they are attached to) and the composer's templates per stage.
 */

const TEMPLATES = 'update_templates';

export async function getUpdateTemplates(db: Db): Promise<UpdateTemplates> {
  return { ...DEFAULT_UPDATE_TEMPLATES, ...((await readSetting<Partial<UpdateTemplates>>(db, TEMPLATES)) ?? {}) };
}

export async function setUpdateTemplates(deps: ServiceDeps, _actor: Actor, templates: UpdateTemplates): Promise<UpdateTemplates> {
  const problems = templateProblems(templates);
  if (problems.length > 0) {
    throw new AppError('validation_failed', `The templates cannot be saved: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, {
      errors: problems,
    });
  }
  await writeSetting(deps.db, TEMPLATES, templates, deps.clock.now());
  return templates;
}

export interface AudienceInput {
  name: string;
  description: string;
  userIds: string[];
  teamIds: string[];
  emails: string[];
  serviceIds: string[];
}

async function checkAudience(db: Db, input: AudienceInput, id: string | null): Promise<AudienceInput> {
  const same = await findAudienceByName(db, input.name);
  if (same && same.id !== id) throw fieldError('conflict', 'name', `a stakeholder list named "${same.name}" exists already`);
  await requireActiveUsers(db, input.userIds, 'requester', 'userIds');
  for (const teamId of input.teamIds)
    if (!(await findTeamById(db, teamId))) throw fieldError('unprocessable', 'teamIds', `no team has the id ${teamId}`);
  for (const serviceId of input.serviceIds) {
    if (!(await findServiceById(db, serviceId))) throw fieldError('unprocessable', 'serviceIds', `no service has the id ${serviceId}`);
  }
  const unique = <T>(xs: T[]) => [...new Set(xs)];
  return {
    ...input,
    userIds: unique(input.userIds),
    teamIds: unique(input.teamIds),
    emails: unique(input.emails.map((e) => e.toLowerCase())),
    serviceIds: unique(input.serviceIds),
  };
}

export function listStakeholderAudiences(deps: ServiceDeps): Promise<AudienceRow[]> {
  return listAudiences(deps.db);
}

export async function createStakeholderAudience(deps: ServiceDeps, _actor: Actor, input: AudienceInput): Promise<AudienceRow> {
  const checked = await checkAudience(deps.db, input, null);
  const now = deps.clock.now();
  return insertAudience(deps.db, { ...checked, createdAt: now, updatedAt: now });
}

export async function updateStakeholderAudience(
  deps: ServiceDeps,
  _actor: Actor,
  id: string,
  input: AudienceInput,
  expectedVersion?: number,
): Promise<AudienceRow> {
  const current = await findAudience(deps.db, id);
  if (!current) throw notFound('stakeholder list');
  checkVersion('stakeholder list', current.version, expectedVersion);
  const checked = await checkAudience(deps.db, input, id);
  return saveAudience(deps.db, id, { ...checked, updatedAt: deps.clock.now() });
}

/** Updates already sent keep the list's name in their record (the timeline), so removing it loses no history. */
export async function deleteStakeholderAudience(deps: ServiceDeps, _actor: Actor, id: string): Promise<void> {
  if (!(await deleteAudience(deps.db, id))) throw notFound('stakeholder list');
}
