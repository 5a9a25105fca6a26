import { z } from 'zod';
import { COMPONENT_STATUSES } from '../status-page.js';
import { MAX_FIRST_NOTICE_DELAY_MINUTES } from '../status-subscriptions.js';

/**
 * The public status page's JSON in the shapes of Atlassian Statuspage's public API v2
 * (`/api/v2/summary.json` and friends), so status widgets and aggregators read Firebreak
 * unchanged. Every key of Statuspage's documented example is required with its type; extra keys
 * (Firebreak's own, e.g. a component's `group_id`) are allowed, as Statuspage itself adds them.
 * `status-page.test.ts` checks the documented example against these schemas.
 */

const Instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date and time');

export const StatusPageRef = z.looseObject({ id: z.string(), name: z.string(), url: z.string(), updated_at: Instant });

export const StatusIndicatorBody = z.looseObject({
  description: z.string(),
  indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
});

export const StatusComponent = z.looseObject({
  created_at: Instant,
  description: z.string().nullable(),
  id: z.string(),
  name: z.string(),
  page_id: z.string(),
  position: z.number().int(),
  status: z.enum(COMPONENT_STATUSES),
  updated_at: Instant,
});

export const StatusIncidentUpdate = z.looseObject({
  body: z.string(),
  created_at: Instant,
  display_at: Instant,
  id: z.string(),
  incident_id: z.string(),
  status: z.enum([
    'investigating',
    'identified',
    'monitoring',
    'resolved',
    'postmortem',
    'scheduled',
    'in_progress',
    'verifying',
    'completed',
  ]),
  updated_at: Instant,
});

export const StatusIncident = z.looseObject({
  created_at: Instant,
  id: z.string(),
  impact: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  incident_updates: z.array(StatusIncidentUpdate),
  monitoring_at: Instant.nullable(),
  name: z.string(),
  page_id: z.string(),
  resolved_at: Instant.nullable(),
  shortlink: z.string(),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']),
  updated_at: Instant,
});

export const StatusMaintenance = StatusIncident.extend({
  status: z.enum(['scheduled', 'in_progress', 'verifying', 'completed']),
  scheduled_for: Instant,
  scheduled_until: Instant,
});

export const StatusSummary = z.looseObject({
  page: StatusPageRef,
  status: StatusIndicatorBody,
  components: z.array(StatusComponent),
  incidents: z.array(StatusIncident),
  scheduled_maintenances: z.array(StatusMaintenance),
});
export const StatusStatus = z.looseObject({ page: StatusPageRef, status: StatusIndicatorBody });
export const StatusComponents = z.looseObject({ page: StatusPageRef, components: z.array(StatusComponent) });
export const StatusIncidents = z.looseObject({ page: StatusPageRef, incidents: z.array(StatusIncident) });
export const StatusMaintenances = z.looseObject({ page: StatusPageRef, scheduled_maintenances: z.array(StatusMaintenance) });

/** A manual status on a public component until a time (managers and admins). */
export const SetStatusOverride = z.strictObject({
  status: z.enum(COMPONENT_STATUSES, { error: `must be one of ${COMPONENT_STATUSES.join(', ')}` }),
  until: z.iso.datetime({ offset: true, error: 'must be a date and time with its offset, e.g. 2026-12-06T18:00:00Z' }),
  reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
});

export const StatusPageSettingsBody = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  /** Minutes the automatic first notice to subscribers waits for the desk's own first update; absent: unchanged. */
  firstNoticeDelayMinutes: z
    .number({ error: 'must be a whole number of minutes' })
    .int('must be a whole number of minutes')
    .min(0, 'must be 0 or more')
    .max(MAX_FIRST_NOTICE_DELAY_MINUTES, `must be at most ${MAX_FIRST_NOTICE_DELAY_MINUTES} minutes`)
    .optional(),
});

/** The organisation's logo for /status (admins): the image file in base64; PNG, JPEG or WebP by its bytes. */
export const StatusPageLogoBody = z.strictObject({
  image: z.string().min(1, 'must not be empty').max(400_000, 'must be at most 256 KB of image (in base64)'),
});
export const StatusPageLogo = z.object({
  mediaType: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  url: z.string(),
});

export const StatusPageLogoState = z.object({ logo: StatusPageLogo.nullable() });

/** A feed of the whole page, or of one service on it. */
export const FeedQuery = z.strictObject({ component: z.uuid({ error: 'must be the id of a service on the status page' }).optional() });
