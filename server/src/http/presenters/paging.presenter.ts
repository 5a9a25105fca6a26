import type { z } from 'zod';
import type { EscalationPolicyBody, PageBody, PageDetailBody } from '../../../../core/contracts/on-call.js';
import type { TicketListRow } from '../../repositories/tickets.repository.js';
import type { EscalationPolicyView } from '../../services/escalation-policies.service.js';
import type { AckAssignment } from '../../services/page-acknowledgement.service.js';
import type { PageView } from '../../services/page-views.service.js';

export function presentEscalationPolicy(p: EscalationPolicyView): z.input<typeof EscalationPolicyBody> {
  return { ...p, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

/** A page with whom each step reached; after an acknowledgement, what became of the ticket's assignee. */
export function presentPage(
  { page, recipients, steps, policyName, triggeredByName, acknowledgedByName }: PageView,
  assignment?: AckAssignment | null,
): z.input<typeof PageBody> {
  return {
    ...page,
    createdAt: page.createdAt.toISOString(),
    acknowledgedAt: page.acknowledgedAt?.toISOString() ?? null,
    endedAt: page.endedAt?.toISOString() ?? null,
    recipients: recipients.map((r) => ({ ...r, pagedAt: r.pagedAt.toISOString() })),
    steps,
    policyName,
    triggeredByName,
    acknowledgedByName,
    ...(assignment !== undefined ? { assignment } : {}),
  };
}

/** The acknowledge-first view: the page and just enough of its ticket to decide. */
export function presentPageDetail(view: PageView & { ticket: TicketListRow }): z.input<typeof PageDetailBody> {
  const { ticket: t, serviceName, teamName, assigneeName } = view.ticket;
  return {
    page: presentPage(view),
    ticket: {
      id: t.id,
      number: t.number,
      title: t.title,
      priority: t.priority,
      state: t.state,
      serviceName,
      teamName,
      assigneeId: t.assigneeId,
      assigneeName,
    },
  };
}
