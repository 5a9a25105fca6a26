import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { attachments, inboundEmails, notifications, tickets } from '../db/schema/index.js';
import type { TicketRow } from './tickets.repository.js';

export type InboundEmailRow = typeof inboundEmails.$inferSelect;
export type InboundEmailOutcome = InboundEmailRow['outcome'];
export type NewInboundEmailRow = typeof inboundEmails.$inferInsert;
export type AttachmentRow = typeof attachments.$inferSelect;
export type NewAttachmentRow = typeof attachments.$inferInsert;

/** Everything but the bytes, for lists. */
const emailSummary = {
  id: inboundEmails.id,
  seq: inboundEmails.seq,
  receivedAt: inboundEmails.receivedAt,
  messageId: inboundEmails.messageId,
  envelopeFrom: inboundEmails.envelopeFrom,
  envelopeTo: inboundEmails.envelopeTo,
  fromAddress: inboundEmails.fromAddress,
  subject: inboundEmails.subject,
  rawSize: inboundEmails.rawSize,
  rawSha256: inboundEmails.rawSha256,
  outcome: inboundEmails.outcome,
  notes: inboundEmails.notes,
  ticketId: inboundEmails.ticketId,
  timelineEventId: inboundEmails.timelineEventId,
  senderId: inboundEmails.senderId,
};
export type InboundEmailSummary = Omit<InboundEmailRow, 'raw'>;
/** A mail for lists people read: with its ticket's number, which is what they know it by. */
export type ListedInboundEmail = InboundEmailSummary & { ticketNumber: string | null };

export async function insertInboundEmail(db: Db, row: NewInboundEmailRow): Promise<InboundEmailSummary> {
  const [created] = await db.insert(inboundEmails).values(row).returning(emailSummary);
  return created;
}

export async function updateInboundEmail(db: Db, id: string, patch: Partial<NewInboundEmailRow>): Promise<void> {
  await db.update(inboundEmails).set(patch).where(eq(inboundEmails.id, id));
}

/**
 * Serializes the intake of one Message-ID until the transaction ends: a second copy taken in at
 * the same moment (two IMAP pollers reading one mailbox, an SMTP retry racing the first try)
 * waits here, then finds the first one's committed row instead of making a second ticket.
 */
export async function lockMessageId(db: Tx, messageId: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`inbound_email|${messageId}`}, 0))`);
}

/**
 * An earlier delivery of the same bytes, received since `since`, recorded with one of `outcomes`
 * (did something, by default): for a mail without a Message-ID, the only way to know it came again.
 */
export async function findEarlierDeliveryOfBytes(
  db: Db,
  rawSha256: string,
  since: Date,
  outcomes: InboundEmailOutcome[] = ['ticket_created', 'comment_added'],
): Promise<InboundEmailSummary | undefined> {
  const [row] = await db
    .select(emailSummary)
    .from(inboundEmails)
    .where(and(eq(inboundEmails.rawSha256, rawSha256), gte(inboundEmails.receivedAt, since), inArray(inboundEmails.outcome, outcomes)))
    .orderBy(desc(inboundEmails.seq))
    .limit(1);
  return row;
}

/** An earlier delivery of the same message recorded with one of `outcomes` (did something, by default: a retry after a lost 250). */
export async function findEarlierDelivery(
  db: Db,
  messageId: string,
  fromAddress: string | null,
  outcomes: InboundEmailOutcome[] = ['ticket_created', 'comment_added'],
): Promise<InboundEmailSummary | undefined> {
  const [row] = await db
    .select(emailSummary)
    .from(inboundEmails)
    .where(
      and(
        eq(inboundEmails.messageId, messageId),
        fromAddress ? eq(inboundEmails.fromAddress, fromAddress) : undefined,
        inArray(inboundEmails.outcome, outcomes),
      ),
    )
    .orderBy(desc(inboundEmails.seq))
    .limit(1);
  return row;
}

/**
 * The ticket a reply belongs to, by what its headers name, in order of trust: our own ticket
 * reference, a notification we sent, a mail we received, then the subject's number.
 */
export async function findThreadTicket(
  db: Db,
  hints: { ticketIds: string[]; notificationIds: string[]; messageIds: string[]; ticketNumber: string | null },
): Promise<TicketRow | undefined> {
  if (hints.ticketIds.length > 0) {
    const rows = await db.select().from(tickets).where(inArray(tickets.id, hints.ticketIds));
    const first = hints.ticketIds.map((id) => rows.find((r) => r.id === id)).find(Boolean);
    if (first) return first;
  }
  if (hints.notificationIds.length > 0) {
    const rows = await db
      .select({ ticket: tickets, notificationId: notifications.id })
      .from(notifications)
      .innerJoin(tickets, eq(tickets.id, notifications.ticketId))
      .where(inArray(notifications.id, hints.notificationIds));
    const first = hints.notificationIds.map((id) => rows.find((r) => r.notificationId === id)).find(Boolean);
    if (first) return first.ticket;
  }
  if (hints.messageIds.length > 0) {
    const rows = await db
      .select({ ticket: tickets, messageId: inboundEmails.messageId })
      .from(inboundEmails)
      .innerJoin(tickets, eq(tickets.id, inboundEmails.ticketId))
      .where(inArray(inboundEmails.messageId, hints.messageIds));
    const first = hints.messageIds.map((id) => rows.find((r) => r.messageId === id)).find(Boolean);
    if (first) return first.ticket;
  }
  if (hints.ticketNumber) {
    const [row] = await db.select().from(tickets).where(eq(tickets.number, hints.ticketNumber));
    return row;
  }
  return undefined;
}

const attachmentSummary = {
  id: attachments.id,
  ticketId: attachments.ticketId,
  inboundEmailId: attachments.inboundEmailId,
  filename: attachments.filename,
  contentType: attachments.contentType,
  size: attachments.size,
  uploadedById: attachments.uploadedById,
  createdAt: attachments.createdAt,
};
/** An attachment without its bytes (they are in attachment_parts): today the whole row. */
export type AttachmentSummary = AttachmentRow;

export async function insertAttachments(db: Db, rows: NewAttachmentRow[]): Promise<AttachmentSummary[]> {
  if (rows.length === 0) return [];
  return db.insert(attachments).values(rows).returning(attachmentSummary);
}

export async function listTicketAttachments(db: Db, ticketId: string): Promise<AttachmentSummary[]> {
  return db
    .select(attachmentSummary)
    .from(attachments)
    .where(eq(attachments.ticketId, ticketId))
    .orderBy(attachments.createdAt, attachments.id);
}

export async function findAttachment(db: Db, id: string): Promise<AttachmentRow | undefined> {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
  return row;
}

export async function listTicketEmails(db: Db, ticketId: string): Promise<ListedInboundEmail[]> {
  return db
    .select({ ...emailSummary, ticketNumber: tickets.number })
    .from(inboundEmails)
    .innerJoin(tickets, eq(tickets.id, inboundEmails.ticketId))
    .where(eq(inboundEmails.ticketId, ticketId))
    .orderBy(inboundEmails.seq);
}

export async function findInboundEmail(db: Db, id: string): Promise<InboundEmailRow | undefined> {
  const [row] = await db.select().from(inboundEmails).where(eq(inboundEmails.id, id));
  return row;
}

/** The latest mails received, newest first, whatever they did: what an admin checks when mail goes missing. */
export async function listRecentEmails(db: Db, options: { limit: number }): Promise<ListedInboundEmail[]> {
  return db
    .select({ ...emailSummary, ticketNumber: tickets.number })
    .from(inboundEmails)
    .leftJoin(tickets, eq(tickets.id, inboundEmails.ticketId))
    .orderBy(desc(inboundEmails.seq))
    .limit(options.limit);
}
