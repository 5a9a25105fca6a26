import { bodyExcerpt, boundedReason, REFUSED_KEEP_PER_INTEGRATION } from '../../../core/alerts/refused-delivery.js';
import { keysetCursor, keysetPage } from '../../../core/cursors.js';
import type { FieldError } from '../../../core/errors.js';
import type { Db } from '../db/client.js';
import {
  insertRefusedDelivery,
  listRefusedDeliveries,
  pruneRefusedDeliveries,
  type RefusedDeliveryRow,
} from '../repositories/refused-alerts.repository.js';
import type { ServiceDeps } from './deps.js';

export interface RefusedDeliveryInput {
  integrationId: string;
  status: number;
  /** What the sender was told (the problem's detail) and the fields it named. */
  reason: string;
  fieldErrors?: FieldError[];
  contentType: string | null;
  bodyBytes: number | null;
  /** The body as received, when it was read at all (not when refused for size or media type). */
  rawBody: string | null;
  /** Strings never to keep: the token the request authenticated with. */
  secrets: string[];
  requestId: string;
}

/**
 * Keeps one refused delivery for the admin: the reason, a bounded excerpt of the body with
 * secrets cut out, and drops that integration's oldest refusals beyond the newest
 * REFUSED_KEEP_PER_INTEGRATION, in one transaction, so the table stays bounded however often a
 * misconfigured sender retries.
 */
export async function recordRefusedDelivery(deps: ServiceDeps, input: RefusedDeliveryInput): Promise<RefusedDeliveryRow> {
  const { excerpt, truncated } = bodyExcerpt(input.rawBody, input.secrets);
  const { reason, fieldErrors } = boundedReason(input.reason, input.fieldErrors);
  return deps.db.transaction(async (tx) => {
    const row = await insertRefusedDelivery(tx, {
      integrationId: input.integrationId,
      receivedAt: deps.clock.now(),
      status: input.status,
      reason,
      fieldErrors,
      contentType: input.contentType?.slice(0, 200) ?? null,
      bodyBytes: input.bodyBytes,
      bodyExcerpt: excerpt,
      excerptTruncated: truncated,
      requestId: input.requestId,
    });
    await pruneRefusedDeliveries(tx, input.integrationId, REFUSED_KEEP_PER_INTEGRATION);
    return row;
  });
}

/** Refusals page by their insertion number, newest first (sequences start at 1). */
const refusalCursor = keysetCursor('base64url-decimal', [{ integer: [1, Number.MAX_SAFE_INTEGER] }]);

/** Newest first, optionally of one integration, with an opaque cursor. */
export async function searchRefusedDeliveries(
  db: Db,
  q: { integrationId?: string; cursor?: string; limit: number },
): Promise<{ items: RefusedDeliveryRow[]; nextCursor: string | null }> {
  const beforeSeq = q.cursor === undefined ? undefined : refusalCursor.decode(q.cursor)[0];
  const rows = await listRefusedDeliveries(db, { integrationId: q.integrationId, beforeSeq, limit: q.limit + 1 });
  return keysetPage(rows, q.limit, refusalCursor, (row) => [row.seq] as [number]);
}
