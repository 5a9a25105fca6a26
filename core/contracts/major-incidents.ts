import { z } from 'zod';
import { SCOPES, TICKET_STATES } from '../vocabulary.js';
import { Id } from './common.js';

/** Parent and child, merge, Me too, scope and ownership of incidents (issue 14). */

const Reason = z.string().trim().min(1, 'must not be empty: say why').max(2000, 'must be at most 2,000 characters');
const TicketNumber = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}\d{1,10}$/, 'must be a ticket number such as INC0000042');

export const ChangeScope = z.strictObject({
  scope: z.enum(SCOPES, { error: 'must be "local" (one site, few users) or "global" (wide: a major incident)' }),
  reason: Reason,
});

export const DeclareMajor = z.strictObject({ reason: Reason });

export const LinkChildren = z.strictObject({
  ticketIds: z.array(Id).min(1, 'name at least one ticket to link').max(500, 'link at most 500 tickets at once'),
});
export const LinkChildrenResult = z.object({ linked: z.array(Id), parentVersion: z.number().int() });

export const ChildParams = z.strictObject({ id: Id, childId: Id });

export const MergeTicket = z.strictObject({ intoId: Id });

export const TicketNumberParams = z.strictObject({ number: TicketNumber });
export const TicketByNumber = z.object({ id: Id, number: z.string(), title: z.string(), kind: z.string(), state: z.enum(TICKET_STATES) });

const LinkedTicket = z.object({ id: Id, number: z.string(), title: z.string(), state: z.enum(TICKET_STATES), scope: z.enum(SCOPES) });

/** A ticket's links as the ticket page shows them (children only for staff). */
export const TicketLinks = z.object({
  parent: LinkedTicket.nullable(),
  mergedInto: LinkedTicket.nullable(),
  children: z.array(
    z.object({
      id: Id,
      number: z.string(),
      title: z.string(),
      state: z.enum(TICKET_STATES),
      requester: z.object({ id: Id, name: z.string() }),
    }),
  ),
  childCount: z.object({ all: z.number().int(), open: z.number().int() }),
  affectedCount: z.number().int(),
  youAreAffected: z.boolean(),
});

export const MeTooResult = z.object({ affectedCount: z.number().int(), joined: z.boolean(), following: z.boolean() });

const Holder = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('person'), userId: Id }),
    z.strictObject({ kind: z.literal('team'), teamId: Id }),
  ])
  .nullable();
const OwnershipRole = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  holder: Holder,
});
/** Who owns local and global incidents: each role's display name and its holder (a person, or a team's manager). */
export const IncidentOwnership = z.strictObject({ local: OwnershipRole, global: OwnershipRole });
