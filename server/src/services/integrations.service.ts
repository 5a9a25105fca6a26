import type { RoutingRule } from '../../../core/alerts/routing.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import type { AlertSource } from '../../../core/vocabulary.js';
import { newSecret, sha256 } from '../adapters/secrets.js';
import type { Db } from '../db/client.js';
import { findServiceById } from '../repositories/catalog.repository.js';
import {
  findIntegrationById,
  type IntegrationRow,
  insertIntegration,
  listIntegrations,
  updateIntegration,
} from '../repositories/integrations.repository.js';
import { findTeamById } from '../repositories/teams.repository.js';
import { insertUser, updateUser } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';

export interface IntegrationInput {
  name: string;
  source: AlertSource;
  rules: RoutingRule[];
  resolveDelayMinutes: number;
}

/**
 * Creates an integration with its own token (returned this once; only its SHA-256 is kept) and
 * its own user, who appears on the timeline as the one who opened and resolved its tickets.
 */
export async function createIntegration(
  deps: ServiceDeps,
  input: IntegrationInput,
): Promise<{ integration: IntegrationRow; token: string }> {
  return deps.db.transaction(async (tx) => {
    await checkRuleReferences(tx, input.rules);
    const now = deps.clock.now();
    const token = newSecret('fbi');
    const user = await insertUser(tx, {
      email: `integration-${sha256(token).slice(0, 16)}@integrations.firebreak.invalid`,
      name: `${input.name} (integration)`,
      role: 'agent',
      passwordHash: null,
      emailNotifications: false,
      createdAt: now,
      updatedAt: now,
    });
    const integration = await insertIntegration(tx, {
      name: input.name,
      source: input.source,
      tokenHash: sha256(token),
      tokenPrefix: token.slice(0, 10),
      userId: user.id,
      rules: input.rules,
      resolveDelayMinutes: input.resolveDelayMinutes,
      createdAt: now,
    });
    return { integration, token };
  });
}

export { listIntegrations };

export async function getIntegration(db: Db, id: string): Promise<IntegrationRow> {
  const row = await findIntegrationById(db, id);
  if (!row) throw notFound('integration');
  return row;
}

/**
 * Renames it, replaces its rules or changes its resolve delay. With `expectedVersion` (the
 * If-Match an admin's page sends), an integration edited by someone else since it was read is
 * refused (412) rather than overwritten: the rules are saved as a whole list.
 */
export async function changeIntegration(
  deps: ServiceDeps,
  id: string,
  input: Partial<Omit<IntegrationInput, 'source'>>,
  expectedVersion?: number,
): Promise<IntegrationRow> {
  return deps.db.transaction(async (tx) => {
    const current = await getIntegration(tx, id);
    if (current.revokedAt) throw new AppError('conflict', 'this integration is revoked; create a new one');
    const stale = () =>
      new AppError(
        'stale_version',
        `The ${current.name} integration was changed by someone else since you loaded it (you have version ${expectedVersion}). Reload it and try again.`,
        { extra: { currentVersion: current.version } },
      );
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw stale();
    if (input.rules) await checkRuleReferences(tx, input.rules);
    // Saved only if still at the version read above: two edits at once cannot both win.
    const saved = await updateIntegration(
      tx,
      id,
      {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.rules !== undefined ? { rules: input.rules } : {}),
        ...(input.resolveDelayMinutes !== undefined ? { resolveDelayMinutes: input.resolveDelayMinutes } : {}),
        version: current.version + 1,
      },
      current.version,
    );
    if (!saved) throw stale();
    if (input.name !== undefined)
      await updateUser(tx, current.userId, { name: `${input.name} (integration)`, updatedAt: deps.clock.now() });
    return saved;
  });
}

/** Revoked at once: the next request with its token gets 401. Its alerts and tickets stay. */
export async function revokeIntegration(deps: ServiceDeps, id: string): Promise<IntegrationRow> {
  const current = await getIntegration(deps.db, id);
  if (current.revokedAt) return current;
  return (await updateIntegration(deps.db, id, { revokedAt: deps.clock.now() })) as IntegrationRow;
}

/** A new token for the same integration (the old one stops working); shown once. */
export async function rotateIntegrationToken(deps: ServiceDeps, id: string): Promise<{ integration: IntegrationRow; token: string }> {
  const current = await getIntegration(deps.db, id);
  if (current.revokedAt) throw new AppError('conflict', 'this integration is revoked; create a new one');
  const token = newSecret('fbi');
  const integration = (await updateIntegration(deps.db, id, {
    tokenHash: sha256(token),
    tokenPrefix: token.slice(0, 10),
  })) as IntegrationRow;
  return { integration, token };
}

/** The integration acting on a ticket: its own user, an agent. */
export function integrationActor(integration: IntegrationRow): Actor {
  return { id: integration.userId, role: 'agent' };
}

async function checkRuleReferences(db: Db, rules: RoutingRule[]): Promise<void> {
  for (const [i, rule] of rules.entries()) {
    if (rule.serviceId && !(await findServiceById(db, rule.serviceId))) {
      throw fieldError('unprocessable', `rules.${i}.serviceId`, `no service has the id ${rule.serviceId}`);
    }
    if (rule.teamId && !(await findTeamById(db, rule.teamId))) {
      throw fieldError('unprocessable', `rules.${i}.teamId`, `no team has the id ${rule.teamId}`);
    }
    if (rule.promoteAfter && rule.action !== 'disturbance') {
      throw fieldError('validation_failed', `rules.${i}.promoteAfter`, 'only a rule that records disturbances can promote them');
    }
  }
}
