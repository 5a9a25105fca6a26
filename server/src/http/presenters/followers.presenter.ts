import type { z } from 'zod';
import type { FollowedTicket } from '../../../../core/contracts/tickets.js';
import type { myFollowedTickets } from '../../services/followers.service.js';

type Followed = Awaited<ReturnType<typeof myFollowedTickets>>[number];

export function presentFollowedTicket(t: Followed): z.input<typeof FollowedTicket> {
  return { ...t, since: t.since.toISOString() };
}
