import { AppError, notFound } from '../../../core/errors.js';
import { type Actor, canSeeTicket, isStaff } from '../../../core/permissions.js';
import { narrowingGroups, rankSimilar, retrievalTerms, SIMILAR_LIMIT } from '../../../core/similar-incidents.js';
import type { ResolutionCode } from '../../../core/vocabulary.js';
import { listSimilarCandidates, termStatistics } from '../repositories/similar-incidents.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';

/** Candidates narrowed in SQL before the pure ranking: a few hundred, whatever the table's size. */
export const SIMILAR_CANDIDATES = 300;

export interface SimilarIncidentView {
  id: string;
  number: string;
  title: string;
  service: { id: string; name: string } | null;
  resolutionCode: ResolutionCode | null;
  resolutionNotes: string | null;
  resolvedAt: Date | null;
  score: number;
}

/**
 * The five resolved or closed incidents most like this ticket (issue 17, item 8): narrowed by
 * the full-text index to a few hundred sharing its words, ranked by core/similar-incidents.ts
 * (TF-IDF cosine with a same-service bonus). Staff only; a ticket the person may not see is
 * "not found".
 */
export async function getSimilarIncidents(deps: Pick<ServiceDeps, 'db'>, actor: Actor, id: string): Promise<SimilarIncidentView[]> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'only service-desk staff can see similar incidents');
  const ticket = await findTicketById(deps.db, id);
  if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('ticket');
  // Narrowed by its rarest words, within a budget of tickets read: a word many tickets hold would make the database visit them all.
  const terms = retrievalTerms(ticket);
  const stats = await termStatistics(deps.db, terms);
  const candidates = await listSimilarCandidates(
    deps.db,
    ticket.id,
    narrowingGroups(terms, stats.shares, stats.tickets),
    SIMILAR_CANDIDATES,
  );
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const ranked = rankSimilar(
    { id: ticket.id, title: ticket.title, description: ticket.description, serviceId: ticket.serviceId },
    candidates,
    SIMILAR_LIMIT,
  );
  return ranked.map((m) => {
    const c = byId.get(m.id) as (typeof candidates)[number];
    return {
      id: c.id,
      number: c.number,
      title: c.title,
      service: c.serviceId ? { id: c.serviceId, name: c.serviceName ?? '' } : null,
      resolutionCode: c.resolutionCode,
      resolutionNotes: c.resolutionNotes,
      resolvedAt: c.resolvedAt,
      score: Math.round(m.score * 1000) / 1000,
    };
  });
}
