import { bigint, bigserial, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { INBOUND_EMAIL_OUTCOMES } from '../../../../core/contracts/email.js';
import { users } from './directory.js';
import { tickets } from './tickets.js';

/** Raw bytes. PGlite answers bytea with a Uint8Array, node-postgres with a Buffer: both become a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * Every mail the listener accepted, with its original bytes (bounded by the SMTP size limit),
 * written in the same transaction as the ticket or comment it made, before the sender is told
 * 250. Mail that made nothing (auto-replies, bounces, duplicates) is kept too, with the reason.
 */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Arrival order, also among mails received in the same instant. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** The mail's own Message-ID, without brackets: replies name it, and a retried delivery repeats it. */
    messageId: text('message_id'),
    envelopeFrom: text('envelope_from'),
    envelopeTo: jsonb('envelope_to').$type<string[]>().notNull(),
    fromAddress: text('from_address'),
    subject: text('subject').notNull(),
    rawSize: integer('raw_size').notNull(),
    raw: bytea('raw').notNull(),
    /**
     * SHA-256 of the raw bytes, hex: how a mail without a Message-ID is recognised when it comes
     * again (a sender's retry, or a mailbox read again after a crash).
     */
    rawSha256: text('raw_sha256'),
    /** ticket_created, comment_added, ignored, duplicate, refused (too large: only the headers are kept) */
    outcome: text('outcome', { enum: INBOUND_EMAIL_OUTCOMES }).notNull(),
    /** Why it was ignored, and what was not kept (attachments refused, parse problems). */
    notes: jsonb('notes').$type<string[]>().notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    timelineEventId: bigint('timeline_event_id', { mode: 'number' }),
    senderId: uuid('sender_id').references(() => users.id),
  },
  (t) => [
    index('inbound_emails_message_id_idx').on(t.messageId),
    index('inbound_emails_raw_sha256_idx').on(t.rawSha256),
    index('inbound_emails_ticket_idx').on(t.ticketId, t.receivedAt),
    index('inbound_emails_received_idx').on(t.receivedAt, t.seq),
  ],
);

/**
 * Files attached to a ticket (uploaded, or from e-mail), bounded in size and count per mail. The
 * bytes are in attachment_parts under the same id, written before this row: a file is visible
 * once this row is committed, and then it is whole.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    inboundEmailId: uuid('inbound_email_id').references(() => inboundEmails.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    uploadedById: uuid('uploaded_by_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('attachments_ticket_idx').on(t.ticketId, t.createdAt)],
);

/**
 * An attachment's bytes, in parts of at most 256 KiB, each written in its own short statement so
 * that the embedded engine (PGlite, on the server's own thread) serves other requests between
 * them; read back one part per query, in `seq` order. Written before the attachment row, so no
 * foreign key: parts whose attachment was never committed (a failed request cleans up after
 * itself; a crash leaves them) are swept once they are old.
 */
export const attachmentParts = pgTable(
  'attachment_parts',
  {
    attachmentId: uuid('attachment_id').notNull(),
    seq: integer('seq').notNull(),
    content: bytea('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.attachmentId, t.seq] }), index('attachment_parts_created_idx').on(t.createdAt)],
);
