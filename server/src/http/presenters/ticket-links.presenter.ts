import type { z } from 'zod';
import type { TicketLinks } from '../../../../core/contracts/major-incidents.js';
import type { getTicketLinks } from '../../services/ticket-links.service.js';

export function presentTicketLinks(links: Awaited<ReturnType<typeof getTicketLinks>>): z.input<typeof TicketLinks> {
  return {
    parent: links.parent,
    mergedInto: links.mergedInto,
    children: links.children.map((c) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      state: c.state,
      requester: { id: c.requesterId, name: c.requesterName },
    })),
    childCount: links.childCount,
    affectedCount: links.ticket.affectedCount,
    youAreAffected: links.youAreAffected,
  };
}
