import type { z } from 'zod';
import type { Alert } from '../../../../core/contracts/alerts.js';
import type { ListedAlert } from '../../repositories/alerts.repository.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentAlert(a: ListedAlert): z.input<typeof Alert> {
  return {
    id: a.id,
    integrationId: a.integrationId,
    fingerprint: a.fingerprint,
    status: a.status,
    severity: a.severity,
    summary: a.summary,
    labels: a.labels,
    sourceUrl: a.sourceUrl,
    startsAt: iso(a.startsAt),
    endsAt: iso(a.endsAt),
    firstSeenAt: a.firstSeenAt.toISOString(),
    lastSeenAt: a.lastSeenAt.toISOString(),
    count: a.count,
    refireCount: a.refireCount,
    acknowledgedAt: iso(a.acknowledgedAt),
    resolvedAt: iso(a.resolvedAt),
    action: a.action,
    ticketId: a.ticketId,
    ticketNumber: a.ticketNumber,
  };
}
