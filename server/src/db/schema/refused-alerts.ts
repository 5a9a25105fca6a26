import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { FieldError } from '../../../../core/errors.js';
import { integrations } from './alerts.js';

/**
 * Alert deliveries an integration's sender made with a valid token that were refused (malformed
 * JSON, wrong source, invalid, too large), with the reason they were given and a bounded,
 * redacted excerpt of the body, so an admin can see why alerts are not arriving. Bounded:
 * only the newest REFUSED_KEEP_PER_INTEGRATION per integration are kept (pruned on insert).
 */
export const refusedAlertDeliveries = pgTable(
  'refused_alert_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Arrival order, also among refusals in the same instant: lists and pruning go by it. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    integrationId: uuid('integration_id')
      .notNull()
      .references(() => integrations.id, { onDelete: 'cascade' }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** The HTTP status the sender was answered with (400, 413, 415 …). */
    status: integer('status').notNull(),
    /** The problem+json detail the sender was given, and the fields it named. */
    reason: text('reason').notNull(),
    fieldErrors: jsonb('field_errors').$type<FieldError[]>().notNull(),
    contentType: text('content_type'),
    /** The body's size as received or, when refused before reading it, as declared (Content-Length). */
    bodyBytes: integer('body_bytes'),
    /** The first 4 KiB of the body, secrets redacted; null when it was never read (too large, not JSON). */
    bodyExcerpt: text('body_excerpt'),
    excerptTruncated: boolean('excerpt_truncated').notNull().default(false),
    /** The request id the sender saw (x-request-id), to find the log lines. */
    requestId: text('request_id').notNull(),
  },
  (t) => [
    index('refused_alert_deliveries_integration_idx').on(t.integrationId, t.seq),
    index('refused_alert_deliveries_seq_idx').on(t.seq),
  ],
);
