import { AppError, notFound } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import { OPEN_STATES, type TicketState } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import { findServiceById } from '../repositories/catalog.repository.js';
import {
  announceStorm,
  findFirstActiveAdmin,
  lockProposal,
  type StormProposalRow,
  saveProposal,
} from '../repositories/storms.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { declareMajorIncident } from './major-incidents.service.js';
import { reportTicket } from './ticket-intake.service.js';
import { linkChildTickets, MAX_LINK_BATCH } from './ticket-links.service.js';

/**
 * Declares a major incident from a storm proposal: the one function the proposal's declare
 * endpoint, and a service's declare-by-policy, call. In one transaction: the proposal (locked,
 * still open, at the version the caller saw) becomes `declared`, naming the incident.
 * `actor` null: declared by the service's policy, as Firebreak.
 */
export async function declareFromProposal(
  deps: ServiceDeps,
  actor: Actor | null,
  proposalId: string,
  options: { expectedVersion?: number },
): Promise<{ proposal: StormProposalRow; incidentId: string }> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const proposal = await lockProposal(tx, proposalId);
    if (!proposal) throw notFound('storm proposal');
    if (proposal.status !== 'open') {
      throw new AppError('conflict', `This proposal was already ${proposal.status}; nothing was changed.`, {
        extra: { proposalStatus: proposal.status },
      });
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== proposal.version) {
      throw new AppError(
        'stale_version',
        `This proposal changed since you loaded it (you have version ${options.expectedVersion}). Reload it and try again.`,
        {
          extra: { currentVersion: proposal.version },
        },
      );
    }
    const incidentId = await declareStormIncident({ db: tx, clock: deps.clock }, actor, proposal, now);
    const saved = await saveProposal(tx, proposal.id, { status: 'declared', decidedAt: now, decidedById: actor?.id ?? null, incidentId });
    await announceStorm(tx, proposal.id);
    return { proposal: saved, incidentId };
  });
}

/**
 * Opens the incident the storm is about (local first, then declared through the one declare path,
 * which makes it global, hands it to the Technical Manager and says why on its timeline), then
 * links the storm's reports to it as children — each requester told once that it is a known
 * problem — in batches the link service accepts. Reports that can no longer be linked (closed,
 * merged, or already a child of another incident) stay as they are.
 */
export async function declareStormIncident(
  deps: { db: Tx; clock: ServiceDeps['clock'] },
  actor: Actor | null,
  proposal: StormProposalRow,
  now: Date,
): Promise<string> {
  const by = actor ?? (await findFirstActiveAdmin(deps.db));
  if (!by) throw new AppError('conflict', 'No active admin to declare the incident as; declare it from the desk instead.');
  const service = proposal.serviceId ? await findServiceById(deps.db, proposal.serviceId) : undefined;
  const what = service ? service.name : `“${proposal.sampleTitle}”`;
  const how = actor
    ? 'Declared from a storm proposal'
    : `Declared by ${service?.name ?? 'the service'}'s policy (a storm above the threshold)`;
  const { ticket } = await reportTicket(
    deps,
    by,
    {
      kind: 'incident',
      title: `Major incident: ${what}`,
      description: `${how} at ${now.toISOString()}: ${proposal.reportCount} reports and ${proposal.alertCount} alerts between ${proposal.firstAt.toISOString()} and ${proposal.lastAt.toISOString()}. First report: “${proposal.sampleTitle}”.`,
      serviceId: proposal.serviceId,
      impact: 1,
      urgency: 1,
      scope: 'local',
    },
    { defaultChannel: 'api' },
  );
  const reason = `${how}: ${proposal.reportCount} reports and ${proposal.alertCount} alerts on ${what}.`;
  await declareMajorIncident(deps, actor, ticket.id, reason);
  const linkable: string[] = [];
  for (const id of proposal.ticketIds) {
    const report = await findTicketById(deps.db, id);
    if (report && report.id !== ticket.id && report.parentId === null && report.mergedIntoId === null && isOpen(report.state)) {
      linkable.push(report.id);
    }
  }
  for (let i = 0; i < linkable.length; i += MAX_LINK_BATCH) {
    await linkChildTickets(deps, actor, ticket.id, linkable.slice(i, i + MAX_LINK_BATCH));
  }
  return ticket.id;
}

const isOpen = (state: TicketState) => OPEN_STATES.includes(state);
