import type { z } from 'zod';
import type { Delivery } from '../../../../core/contracts/notifications.js';
import type { getDeliveryLog } from '../../services/notifications.service.js';

type DeliveryLogRow = Awaited<ReturnType<typeof getDeliveryLog>>[number];

/** A notification with where its delivery stands: sent, retrying (pending), dead, or held while e-mail out was off. */
export function presentDelivery(d: DeliveryLogRow): z.input<typeof Delivery> {
  return {
    id: d.notification.id,
    channel: d.notification.channel,
    userId: d.notification.userId,
    address: d.notification.address,
    webhookName: d.webhookName,
    reason: d.notification.reason,
    subject: d.notification.subject,
    createdAt: d.notification.createdAt.toISOString(),
    sentAt: d.notification.sentAt?.toISOString() ?? null,
    state: d.notification.sentAt ? 'sent' : d.state === 'dead' ? 'dead' : d.state === 'held' ? 'not_sent' : 'pending',
    attempts: d.attempts ?? 0,
    lastError: d.lastError,
  };
}
