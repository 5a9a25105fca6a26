import { z } from 'zod';
import { PROBLEM_STAGES } from '../problems.js';
import { TICKET_STATES } from '../vocabulary.js';
import { Id, Timestamp } from './common.js';

/** Problems and known errors, and service impact (issue 17). */

const Level = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'must be 1 (high), 2 (medium) or 3 (low)' });
const Notes = z.string().max(20_000, 'must be at most 20,000 characters');

export const CreateProblem = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  description: z.string().max(20_000, 'must be at most 20,000 characters').default(''),
  serviceId: Id.nullable().optional(),
  categoryId: Id.nullable().optional(),
  impact: Level.default(3),
  urgency: Level.default(3),
  teamId: Id.nullable().optional(),
  assigneeId: Id.nullable().optional(),
  /** The incidents this problem is the underlying cause of (each may belong to one problem). */
  incidentIds: z.array(Id).max(200, 'link at most 200 incidents at once').optional(),
});

export const UpdateProblem = z.strictObject({
  /** Root cause analysis notes; empty or null clears them. */
  rootCause: Notes.nullable().optional(),
  /** How to restore service until the cause is removed; a known error keeps one. */
  workaround: Notes.nullable().optional(),
  /** The workaround written for requesters: the portal shows this text alone; empty or null withdraws it. */
  publicWorkaround: Notes.nullable().optional(),
});

export const LinkIncidents = z.strictObject({
  incidentIds: z.array(Id).min(1, 'name at least one incident to link').max(200, 'link at most 200 incidents at once'),
});
export const LinkIncidentsResult = z.object({ linked: z.array(Id), problemVersion: z.number().int() });

export const ProblemIncidentParams = z.strictObject({ id: Id, incidentId: Id });

const Stage = z.enum(PROBLEM_STAGES);

/** A problem's stage and incidents, or an incident's problem, as both pages show them. */
export const ProblemLinks = z.object({
  stage: Stage.nullable(),
  incidents: z.array(z.object({ id: Id, number: z.string(), title: z.string(), state: z.enum(TICKET_STATES), priority: z.number().int() })),
  problem: z.object({ id: Id, number: z.string(), title: z.string(), state: z.enum(TICKET_STATES), stage: Stage }).nullable(),
  /** A problem's: how many people its workaround for requesters ended a report for in the portal ("This solved it"); null for an incident. */
  solvedCount: z.number().int().nullable(),
});

export const KnownError = z.object({
  problemId: Id,
  number: z.string(),
  title: z.string(),
  workaround: z.string(),
  knownErrorAt: Timestamp,
});
export const KnownErrors = z.object({ items: z.array(KnownError) });

export const ServiceImpact = z.object({
  /** The ticket's service; null when it names none (then nothing else is listed). */
  service: z.object({ id: Id, name: z.string() }).nullable(),
  /** Every service depending on it, directly (depth 1) or through others, nearest first, each once. */
  affected: z.array(z.object({ serviceId: Id, name: z.string(), depth: z.number().int(), viaId: Id, viaName: z.string() })),
});

/** What a requester describing a problem asks: their text so far and the service they chose. */
export const RequesterKnownErrorQuery = z.strictObject({
  // Longer text is accepted and only its first words are searched (core/knowledge-base.ts searchWords).
  q: z.string().max(20_000, { error: 'must be at most 20,000 characters' }).default(''),
  serviceId: Id.optional(),
});

/** A known error as a requester sees it: the public workaround and nothing the desk wrote for itself. */
export const RequesterKnownError = z.strictObject({
  id: Id,
  /** The service it affects, when the problem names one. */
  serviceName: z.string().nullable(),
  workaround: z.string(),
  since: Timestamp,
});
export const RequesterKnownErrors = z.object({ items: z.array(RequesterKnownError) });
