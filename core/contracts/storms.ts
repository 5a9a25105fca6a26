import { z } from 'zod';
import { Id, Limit, Page, Ref, Timestamp } from './common.js';

export const STORM_PROPOSAL_STATUSES = ['open', 'dismissed', 'declared'] as const;

export const StormProposal = z.object({
  id: Id,
  status: z.enum(STORM_PROPOSAL_STATUSES),
  /** The sentence the desk reads: "11 reports and 2 alerts on VPN (and services that depend on it) in 5 minutes — declare a major incident?" */
  headline: z.string(),
  service: Ref,
  reportCount: z.number().int(),
  alertCount: z.number().int(),
  /** Whether services that depend on the named one (or that it is part of) are counted too. */
  widerScope: z.boolean(),
  sampleTitle: z.string(),
  /** The storm's tickets, oldest first (at most 200): what declaring makes children of the incident. */
  ticketIds: z.array(Id),
  firstAt: Timestamp,
  lastAt: Timestamp,
  /** When the count reached the threshold, and when the proposal appeared. */
  crossedAt: Timestamp,
  raisedAt: Timestamp,
  decidedAt: Timestamp.nullable(),
  decidedBy: Ref,
  dismissReason: z.string().nullable(),
  incident: z.object({ id: Id, number: z.string() }).nullable(),
  version: z.number().int(),
});
export const StormProposalPage = Page(StormProposal);

export const StormProposalQuery = z.strictObject({
  status: z.enum(STORM_PROPOSAL_STATUSES).optional(),
  cursor: z.string().max(500).optional(),
  limit: Limit,
});

export const DismissStormProposal = z.strictObject({
  reason: z.string().trim().min(1, 'say why this is not a major incident').max(2000),
});

export const DeclaredStormProposal = z.object({ proposal: StormProposal, incidentId: Id });

export const StormSettingsBody = z.strictObject({
  windowMinutes: z.number().int().min(1, 'must be at least 1 minute').max(1440, 'must be at most a day (1440 minutes)'),
  threshold: z.number().int().min(2, 'must be at least 2 (one report is not a storm)').max(100_000),
  similarity: z.number().min(0.05, 'must be at least 0.05').max(1, 'must be at most 1'),
});

export const StormPolicyBody = z.strictObject({ declareByPolicy: z.boolean() });
export const StormPolicy = z.object({ serviceId: Id, declareByPolicy: z.boolean() });
/** Every service's storm policy, for the admin page (name included, in the services' order). */
export const StormPolicyList = z.object({
  items: z.array(z.object({ serviceId: Id, serviceName: z.string(), declareByPolicy: z.boolean() })),
});

/** A requester's rating of how a closed ticket was handled (issue 14, item 10). */
export const SatisfactionRating = z.object({
  ticketId: Id,
  rating: z.number().int(),
  /** The rating in words ("Good"). */
  ratingWords: z.string(),
  comment: z.string(),
  answeredAt: Timestamp,
  changedAt: Timestamp,
  /** Until when its author may change it. */
  changeableUntil: Timestamp,
  version: z.number().int(),
});

/** A ticket's satisfaction: whether its requester may rate it now, and the answer if given. */
export const TicketSatisfaction = z.object({
  ticketId: Id,
  /** Whether the caller may give or change the rating now. */
  canRate: z.boolean(),
  rating: SatisfactionRating.nullable(),
});

export const RateTicket = z.strictObject({
  // Any whole number is well-formed; outside 1–5 it is refused with 422 naming `rating`.
  rating: z.number({ error: 'must be a number from 1 to 5' }).int('must be a whole number from 1 to 5'),
  comment: z.string().trim().max(2000, 'must be at most 2000 characters').default(''),
});

export const RateByLink = z.strictObject({
  token: z.string().min(1).max(2000),
  rating: z.coerce.number({ error: 'must be a number from 1 to 5' }).int('must be a whole number from 1 to 5'),
  comment: z.string().trim().max(2000, 'must be at most 2000 characters').default(''),
});
export const RateLinkQuery = z.strictObject({ token: z.string().min(1).max(2000) });

export const SatisfactionRatingListed = SatisfactionRating.extend({ ticketNumber: z.string(), ticketTitle: z.string() });
export const SatisfactionRatingPage = Page(SatisfactionRatingListed);
export const SatisfactionQuery = z.strictObject({ cursor: z.string().max(500).optional(), limit: Limit });
