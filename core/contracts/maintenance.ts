import { z } from 'zod';
import { MAINTENANCE_NEWS, MAINTENANCE_STATES, MAX_LEAD_MINUTES } from '../maintenance.js';
import { Id, Timestamp } from './common.js';

/**
 * Planned maintenance on the status page (issue 15 #7). Texts are plain: they are shown as text
 * (escaped) on the page, in the feeds, mails and JSON, never as markup.
 */

const Instant = z.iso.datetime({ offset: true, error: 'must be a date and time with its offset, e.g. 2026-12-08T22:00:00Z' });
const Title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const Description = z.string().trim().max(5000, 'must be at most 5,000 characters');
const ComponentIds = z
  .array(z.uuid({ error: 'must be the id of a service on the status page' }))
  .min(1, 'must name at least one service on the status page')
  .max(200, 'at most 200 services');
const LeadMinutes = z
  .number({ error: 'must be a number of minutes' })
  .int('must be a whole number of minutes')
  .min(0, 'must not be negative')
  .max(MAX_LEAD_MINUTES, 'must be at most 4 weeks (40,320 minutes)');

export const CreateMaintenance = z.strictObject({
  title: Title,
  description: Description.default(''),
  componentIds: ComponentIds,
  startsAt: Instant,
  endsAt: Instant,
  /** Minutes before the start at which subscribers are reminded (default 1,440: a day; 0: no reminder). */
  leadMinutes: LeadMinutes.optional(),
});

export const EditMaintenance = z.strictObject({
  title: Title.optional(),
  description: Description.optional(),
  componentIds: ComponentIds.optional(),
  startsAt: Instant.optional(),
  endsAt: Instant.optional(),
  leadMinutes: LeadMinutes.optional(),
  /** The version the editor saw: a stale one is refused (412) rather than overwriting someone's change. */
  version: z.number().int().optional(),
});

export const MaintenanceUpdate = z.object({
  id: Id,
  news: z.enum(MAINTENANCE_NEWS),
  stateAfter: z.enum(MAINTENANCE_STATES),
  body: z.string(),
  at: Timestamp,
});

export const Maintenance = z.object({
  id: Id,
  title: z.string(),
  description: z.string(),
  componentIds: z.array(z.string()),
  startsAt: Timestamp,
  endsAt: Timestamp,
  leadMinutes: z.number().int(),
  state: z.enum(MAINTENANCE_STATES),
  startedAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable(),
  cancelledAt: Timestamp.nullable(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  updates: z.array(MaintenanceUpdate),
});
export const MaintenanceList = z.object({ items: z.array(Maintenance) });
