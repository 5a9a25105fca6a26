import type { StatusSubscriberRow } from '../../repositories/status-subscriptions.repository.js';

/** A webhook subscriber as the API shows it: never its secret. */
export function presentStatusWebhook(row: StatusSubscriberRow) {
  return { id: row.id, name: row.name, url: row.address, componentIds: row.componentIds, createdAt: row.createdAt.toISOString() };
}
