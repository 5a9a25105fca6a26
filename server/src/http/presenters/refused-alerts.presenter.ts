import type { z } from 'zod';
import type { RefusedAlertDelivery } from '../../../../core/contracts/alerts.js';
import type { RefusedDeliveryRow } from '../../repositories/refused-alerts.repository.js';

export function presentRefusedDelivery(r: RefusedDeliveryRow): z.input<typeof RefusedAlertDelivery> {
  return {
    id: r.id,
    integrationId: r.integrationId,
    receivedAt: r.receivedAt.toISOString(),
    status: r.status,
    reason: r.reason,
    fieldErrors: r.fieldErrors,
    contentType: r.contentType,
    bodyBytes: r.bodyBytes,
    bodyExcerpt: r.bodyExcerpt,
    excerptTruncated: r.excerptTruncated,
    requestId: r.requestId,
  };
}
