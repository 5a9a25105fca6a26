import { notFound } from '../../../core/errors.js';
import { searchWords } from '../../../core/knowledge-base.js';
import type { Actor } from '../../../core/permissions.js';
import { REQUESTER_KNOWN_ERRORS_SHOWN, shownToRequesters } from '../../../core/problems.js';
import { allOfTerms, anyOfTerms } from '../../../core/text-search.js';
import { listRequesterKnownErrorCandidates, recordKnownErrorSolvedBy } from '../repositories/problems.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';

/** A known error as the portal shows it: the workaround written for requesters, and nothing else of the problem. */
export interface RequesterKnownErrorView {
  id: string;
  serviceName: string | null;
  workaround: string;
  since: Date;
}

/**
 * Deflection's second half (issue 17 item 7): while someone describes a problem, the known errors
 * that may be it — the chosen service's, or ones whose words match — with the workaround staff
 * wrote for requesters. Anyone signed in may ask; what comes back is only that public text, so
 * a problem's title, staff workaround and root cause never leave the desk. Like the article
 * search, problems holding every word come first, and any word widens the list when too few do.
 */
export async function knownErrorsForReport(
  deps: ServiceDeps,
  input: { q: string; serviceId?: string },
): Promise<RequesterKnownErrorView[]> {
  const words = searchWords(input.q);
  const serviceId = input.serviceId ?? null;
  const limit = REQUESTER_KNOWN_ERRORS_SHOWN;
  const found = await listRequesterKnownErrorCandidates(deps.db, { serviceId, tsquery: allOfTerms(words) }, limit);
  if (found.length < limit && words.length > 1) {
    const seen = new Set(found.map((f) => f.id));
    const more = await listRequesterKnownErrorCandidates(deps.db, { serviceId, tsquery: anyOfTerms(words) }, limit + found.length);
    found.push(...more.filter((m) => !seen.has(m.id)));
  }
  return found
    .filter(shownToRequesters)
    .slice(0, limit)
    .map((p) => ({
      id: p.id,
      serviceName: p.serviceName,
      workaround: (p.publicWorkaround as string).trim(),
      since: p.knownErrorAt as Date,
    }));
}

/**
 * "This solved it" on a known error: the requester's report ends without a ticket, and the problem
 * counts it once per person (pressing again changes nothing), as an article does. Only a known
 * error the portal shows may be pressed; any other id — no such problem, not a known error, closed,
 * or without a workaround for requesters — is "not found", so the press reveals nothing of the
 * desk's problems. The problem's ticket row is not changed (no version, no timeline event): the
 * count is read from who pressed.
 */
export async function knownErrorSolvedIt(deps: ServiceDeps, actor: Actor, problemId: string): Promise<void> {
  const problem = await findTicketById(deps.db, problemId);
  if (!problem || !shownToRequesters(problem)) throw notFound('known error');
  await recordKnownErrorSolvedBy(deps.db, problem.id, actor.id, deps.clock.now());
}
