import type { z } from 'zod';
import type { Ticket, TimelineEvent } from '../../../../core/contracts/tickets.js';
import { allowedMoves } from '../../../../core/ticket-state-machine.js';
import type { Level, Priority } from '../../../../core/vocabulary.js';
import type { TicketListRow, TicketRow } from '../../repositories/tickets.repository.js';
import type { TimelineEventRow } from '../../repositories/timeline.repository.js';

function ref(id: string | null, name: string | null) {
  return id ? { id, name: name ?? '' } : null;
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

export function presentTicket(view: TicketListRow): z.input<typeof Ticket> {
  const t: TicketRow = view.ticket;
  return {
    id: t.id,
    number: t.number,
    kind: t.kind,
    title: t.title,
    description: t.description,
    requester: ref(t.requesterId, view.requesterName),
    reportedById: t.reportedById,
    channel: t.channel,
    service: ref(t.serviceId, view.serviceName),
    category: ref(t.categoryId, view.categoryName),
    subcategoryId: t.subcategoryId,
    impact: t.impact as Level,
    urgency: t.urgency as Level,
    priority: t.priority as Priority,
    priorityOverridden: t.priorityOverridden,
    priorityOverrideReason: t.priorityOverrideReason,
    scope: t.scope,
    team: ref(t.teamId, view.teamName),
    assignee: ref(t.assigneeId, view.assigneeName),
    state: t.state,
    onHoldReason: t.onHoldReason,
    resolutionCode: t.resolutionCode,
    resolutionNotes: t.resolutionNotes,
    openedAt: t.openedAt.toISOString(),
    firstResponseAt: iso(t.firstResponseAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    updatedAt: t.updatedAt.toISOString(),
    version: t.version,
    escalationLevel: t.escalationLevel,
    reassignmentCount: t.reassignmentCount,
    reopenCount: t.reopenCount,
    slaDueAt: t.slaDueAt?.toISOString() ?? null,
    pageHeldSince: iso(t.pageHeldSince),
    majorSince: iso(t.majorSince),
    parentId: t.parentId,
    mergedIntoId: t.mergedIntoId,
    affectedCount: t.affectedCount,
    rootCause: t.rootCause,
    sourceAttributes: t.sourceAttributes ?? null,
    externalReference: t.externalReference ?? null,
    // A change moves by its own actions (submit, approve, start, complete), never the generic moves.
    allowedMoves: t.kind === 'change' ? [] : allowedMoves(t.state),
    problemId: t.problemId ?? null,
    workaround: t.workaround ?? null,
    publicWorkaround: t.publicWorkaround ?? null,
    knownErrorAt: iso(t.knownErrorAt ?? null),
  };
}

export function presentTimelineEvent(e: TimelineEventRow & { actorName: string | null }): z.input<typeof TimelineEvent> {
  return {
    id: e.id,
    type: e.type,
    actor: ref(e.actorId, e.actorName),
    at: e.at.toISOString(),
    internal: e.internal,
    body: e.body,
    changes: e.changes ?? null,
    data: e.data ?? null,
  };
}
