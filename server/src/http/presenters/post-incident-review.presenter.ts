import type { z } from 'zod';
import type { ActionItem, PostIncidentReview } from '../../../../core/contracts/post-incident-reviews.js';
import {
  ACTION_ITEM_PRIORITY_LABELS,
  ACTION_ITEM_STATE_LABELS,
  formatDuration,
  isActionItemOverdue,
  REVIEW_STATE_LABELS,
} from '../../../../core/incident-review.js';
import type { ListedActionItem } from '../../repositories/reviews.repository.js';
import type { ReviewView } from '../../services/post-incident-reviews.service.js';

export function presentActionItem(a: ListedActionItem, now: Date): z.input<typeof ActionItem> {
  return {
    id: a.item.id,
    ticket: { id: a.item.ticketId, number: a.ticketNumber, title: a.ticketTitle },
    reviewId: a.item.reviewId,
    problemId: a.item.problemId ?? null,
    title: a.item.title,
    owner: { id: a.item.ownerId, name: a.ownerName },
    dueOn: a.item.dueOn,
    priority: a.item.priority,
    priorityLabel: ACTION_ITEM_PRIORITY_LABELS[a.item.priority],
    state: a.item.state,
    stateLabel: ACTION_ITEM_STATE_LABELS[a.item.state],
    overdue: isActionItemOverdue(a.item, now, a.ownerTimeZone),
    version: a.item.version,
  };
}

export function presentReview(v: ReviewView, now: Date): z.input<typeof PostIncidentReview> {
  const { review, facts } = v;
  return {
    ticket: v.ticket,
    review: review
      ? {
          id: review.id,
          state: review.state,
          stateLabel: REVIEW_STATE_LABELS[review.state],
          sections: review.sections,
          publishedAt: review.publishedAt?.toISOString() ?? null,
          updatedAt: review.updatedAt.toISOString(),
          updatedBy: review.updatedByName,
          version: review.version,
        }
      : null,
    moments: facts.moments.map((m) => ({ moment: m.moment, label: m.label, at: m.at?.toISOString() ?? null, missing: m.missing })),
    durations: facts.durations.map((d) => ({
      ...d,
      wall: d.wallMs === null ? null : formatDuration(d.wallMs),
      business: d.businessMs === null ? null : formatDuration(d.businessMs),
    })),
    calendar: facts.calendar,
    roles: facts.roles.map((r) => ({ ...r, since: r.since.toISOString() })),
    investigations: facts.investigations,
    updates: facts.updates.map((u) => ({ ...u, at: u.at.toISOString() })),
    rootCause: facts.rootCause,
    actionItems: v.actionItems.map((a) => presentActionItem(a, now)),
  };
}
