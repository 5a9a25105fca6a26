import type { z } from 'zod';
import { exampleCurl } from '../../../../core/alerts/samples.js';
import type { CreatedIntegration, IngestResponse, Integration, PagerDutyResponse } from '../../../../core/contracts/alerts.js';
import type { IntegrationRow } from '../../repositories/integrations.repository.js';
import type { IngestedAlert } from '../../services/alert-intake.service.js';

/** Where an integration's monitoring tool posts its alerts. */
export const alertsPathOf = (id: string) => `/api/v1/integrations/${id}/alerts`;

/** Never includes the token or its hash. */
export function presentIntegration(i: IntegrationRow): z.input<typeof Integration> {
  return {
    id: i.id,
    name: i.name,
    source: i.source,
    tokenPrefix: i.tokenPrefix,
    userId: i.userId,
    rules: i.rules,
    resolveDelayMinutes: i.resolveDelayMinutes,
    version: i.version,
    alertsPath: alertsPathOf(i.id),
    active: i.revokedAt === null,
    createdAt: i.createdAt.toISOString(),
    revokedAt: i.revokedAt?.toISOString() ?? null,
    lastAlertAt: i.lastAlertAt?.toISOString() ?? null,
  };
}

/** Right after creation or a new token: the only answer that carries the token, with a curl to try it. */
export function presentCreatedIntegration(i: IntegrationRow, token: string): z.input<typeof CreatedIntegration> {
  return { ...presentIntegration(i), token, exampleCurl: exampleCurl('$FIREBREAK_URL', alertsPathOf(i.id), token, i.source) };
}

/** What each alert of an accepted delivery did. */
export function presentIngested(ingested: IngestedAlert[]): z.input<typeof IngestResponse> {
  return {
    status: 'accepted' as const,
    alerts: ingested.map((a) => ({
      id: a.alertId,
      fingerprint: a.fingerprint,
      status: a.status,
      count: a.count,
      action: a.action,
      ticketId: a.ticketId,
    })),
  };
}

/** PagerDuty's own answer to an event, so its clients are satisfied. */
export function presentPagerDutyAccepted(ingested: IngestedAlert[]): z.input<typeof PagerDutyResponse> {
  return { status: 'success', message: 'Event processed', dedup_key: ingested[0]?.fingerprint ?? '' };
}
