import type { z } from 'zod';
import type { ApiToken, CreatedApiToken, Me } from '../../../core/contracts/auth.js';
import type { Category, Service, Team, User } from '../../../core/contracts/directory.js';
import type { FollowedTicket, KnownIssue, KnownIssueView, Ticket, TimelineEvent } from '../../../core/contracts/tickets.js';

// The web UI speaks the API's own contracts: these are the server's zod schemas, as types only.
export type MeT = z.infer<typeof Me>;
export type TicketT = z.infer<typeof Ticket>;
export type TimelineEventT = z.infer<typeof TimelineEvent>;
export type KnownIssueT = z.infer<typeof KnownIssue>;
export type KnownIssueViewT = z.infer<typeof KnownIssueView>;
export type FollowedTicketT = z.infer<typeof FollowedTicket>;
export type UserT = z.infer<typeof User>;
export type TeamT = z.infer<typeof Team>;
export type ServiceT = z.infer<typeof Service>;
export type CategoryT = z.infer<typeof Category>;
export type ApiTokenT = z.infer<typeof ApiToken>;
export type CreatedApiTokenT = z.infer<typeof CreatedApiToken>;
export type PageT<T> = { items: T[]; nextCursor: string | null };
