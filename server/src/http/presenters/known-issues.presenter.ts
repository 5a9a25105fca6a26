import type { z } from 'zod';
import type { KnownIssue, KnownIssueView } from '../../../../core/contracts/tickets.js';
import type { getKnownIssueView, listKnownIssues } from '../../services/known-issues.service.js';

type ListedKnownIssue = Awaited<ReturnType<typeof listKnownIssues>>[number];
type KnownIssueReading = Awaited<ReturnType<typeof getKnownIssueView>>;

/** Only the title, state and the latest public update: never the description, work notes or requesters' words. */
export function presentKnownIssue(i: ListedKnownIssue): z.input<typeof KnownIssue> {
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    state: i.state as z.infer<typeof KnownIssue>['state'],
    priority: i.priority as z.infer<typeof KnownIssue>['priority'],
    openedAt: i.openedAt.toISOString(),
    service: i.serviceId ? { id: i.serviceId, name: i.serviceName ?? '' } : null,
    latestUpdate: i.latestUpdate
      ? { at: i.latestUpdate.at.toISOString(), body: i.latestUpdate.body, editedAt: i.latestUpdate.editedAt?.toISOString() ?? null }
      : null,
  };
}

/** The public view: the desk's public updates and the resolution, nothing else of the ticket. */
export function presentKnownIssueView({ ticket, following, service, updates }: KnownIssueReading): z.input<typeof KnownIssueView> {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    state: ticket.state,
    priority: ticket.priority as z.infer<typeof KnownIssue>['priority'],
    openedAt: ticket.openedAt.toISOString(),
    resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
    service,
    resolution: ticket.resolutionCode ? { code: ticket.resolutionCode, notes: ticket.resolutionNotes ?? '' } : null,
    updates: updates.map((u) => ({ at: u.at.toISOString(), body: u.body, editedAt: u.editedAt?.toISOString() ?? null })),
    following,
  };
}
