import { keysetCursor, keysetPage } from '../../../core/cursors.js';
import { AppError, notFound } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import type { StormSettings } from '../../../core/storm.js';
import type { Db } from '../db/client.js';
import { findServiceById, listServices, updateService } from '../repositories/catalog.repository.js';
import { namesByIds } from '../repositories/names.repository.js';
import { writeSetting } from '../repositories/settings.repository.js';
import {
  announceStorm,
  findProposal,
  listProposals,
  lockProposal,
  type StormProposalRow,
  saveProposal,
} from '../repositories/storms.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { changingConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';
import { declareFromProposal } from './storm-declare.service.js';
import { forgetStormGraph, readStormSettings, STORM_SETTINGS_KEY } from './storm-detection.service.js';

const proposalCursor = keysetCursor('base64url-json', ['instant', 'id']);

/** A proposal with the names it is shown with. */
export interface StormProposalView extends StormProposalRow {
  serviceName: string | null;
  decidedByName: string | null;
  incidentNumber: string | null;
}

export async function viewsOf(db: Db, rows: StormProposalRow[]): Promise<StormProposalView[]> {
  const names = await namesByIds(db, [
    ...new Set(rows.flatMap((r) => [r.serviceId, r.decidedById]).filter((id): id is string => id !== null)),
  ]);
  const numbers = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.incidentId).filter((id): id is string => id !== null))) {
    const ticket = await findTicketById(db, id);
    if (ticket) numbers.set(id, ticket.number);
  }
  return rows.map((r) => ({
    ...r,
    serviceName: r.serviceId ? (names.get(r.serviceId) ?? null) : null,
    decidedByName: r.decidedById ? (names.get(r.decidedById) ?? null) : null,
    incidentNumber: r.incidentId ? (numbers.get(r.incidentId) ?? null) : null,
  }));
}

export async function listStormProposals(
  deps: ServiceDeps,
  q: { status?: StormProposalRow['status']; cursor?: string; limit: number },
): Promise<{ items: StormProposalView[]; nextCursor: string | null }> {
  const after = q.cursor ? proposalCursor.decode(q.cursor) : undefined;
  const rows = await listProposals(deps.db, { status: q.status, after, limit: q.limit + 1 });
  const page = keysetPage(rows, q.limit, proposalCursor, (p) => [p.cursorAt, p.id]);
  return {
    items: await viewsOf(
      deps.db,
      page.items.map(({ cursorAt: _, ...row }) => row),
    ),
    nextCursor: page.nextCursor,
  };
}

export async function getStormProposal(deps: ServiceDeps, id: string): Promise<StormProposalView> {
  const proposal = await findProposal(deps.db, id);
  if (!proposal) throw notFound('storm proposal');
  return (await viewsOf(deps.db, [proposal]))[0];
}

/** Not a major incident, with the reason: the same cluster is not proposed again from the same reports. */
export async function dismissStormProposal(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: { reason: string },
  expectedVersion?: number,
): Promise<StormProposalView> {
  const saved = await deps.db.transaction(async (tx) => {
    const proposal = await lockProposal(tx, id);
    if (!proposal) throw notFound('storm proposal');
    if (proposal.status !== 'open') {
      throw new AppError('conflict', `This proposal was already ${proposal.status}; nothing was changed.`, {
        extra: { proposalStatus: proposal.status },
      });
    }
    if (expectedVersion !== undefined && expectedVersion !== proposal.version) {
      throw new AppError(
        'stale_version',
        `This proposal changed since you loaded it (you have version ${expectedVersion}). Reload it and try again.`,
        {
          extra: { currentVersion: proposal.version },
        },
      );
    }
    const saved = await saveProposal(tx, id, {
      status: 'dismissed',
      decidedAt: deps.clock.now(),
      decidedById: actor.id,
      dismissReason: input.reason.trim(),
    });
    await announceStorm(tx, id);
    return saved;
  });
  return (await viewsOf(deps.db, [saved]))[0];
}

/** The desk's declare button: one call to the one declare function. */
export async function declareStormProposal(deps: ServiceDeps, actor: Actor, id: string, expectedVersion?: number) {
  const { proposal, incidentId } = await declareFromProposal(deps, actor, id, { expectedVersion });
  return { proposal: (await viewsOf(deps.db, [proposal]))[0], incidentId };
}

export async function getStormSettings(deps: ServiceDeps): Promise<StormSettings> {
  return readStormSettings(deps);
}

export async function putStormSettings(deps: ServiceDeps, input: StormSettings): Promise<StormSettings> {
  await writeSetting(deps.db, STORM_SETTINGS_KEY, input, deps.clock.now());
  forgetStormGraph(deps.db);
  return input;
}

/** Whether a storm on this service declares a major incident by itself. */
export async function setStormPolicy(deps: ServiceDeps, serviceId: string, declareByPolicy: boolean) {
  if (!(await findServiceById(deps.db, serviceId))) throw notFound('service');
  const saved = await changingConfig(deps.configCache, 'services', () => updateService(deps.db, serviceId, { declareByPolicy }));
  return { serviceId, declareByPolicy: saved?.declareByPolicy ?? declareByPolicy };
}

/** Which services' storms declare a major incident by themselves, for the admin page. */
export async function listStormPolicies(deps: ServiceDeps) {
  const services = await listServices(deps.db);
  return { items: services.map((s) => ({ serviceId: s.id, serviceName: s.name, declareByPolicy: s.declareByPolicy })) };
}
