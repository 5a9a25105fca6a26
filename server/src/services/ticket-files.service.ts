import { notFound } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import type { Db } from '../db/client.js';
import {
  type AttachmentRow,
  type AttachmentSummary,
  findAttachment,
  findInboundEmail,
  type InboundEmailRow,
  type InboundEmailSummary,
  listRecentEmails,
  listTicketAttachments,
  listTicketEmails,
} from '../repositories/email.repository.js';
import { getTicketView } from './ticket-query.service.js';

/**
 * Reading a ticket's files and mails under the ticket's own visibility: whoever may see the
 * ticket may see its attachments; the original mails are for staff (the routes say so).
 * A file of a ticket you may not see is "not found", like the ticket.
 */
export async function listAttachments(db: Db, actor: Actor, ticketId: string): Promise<AttachmentSummary[]> {
  await getTicketView(db, actor, ticketId);
  return listTicketAttachments(db, ticketId);
}

export async function getAttachment(db: Db, actor: Actor, id: string): Promise<AttachmentRow> {
  const attachment = await findAttachment(db, id);
  if (!attachment) throw notFound('attachment');
  try {
    await getTicketView(db, actor, attachment.ticketId);
  } catch {
    throw notFound('attachment');
  }
  return attachment;
}

export async function listEmailsOfTicket(db: Db, actor: Actor, ticketId: string): Promise<InboundEmailSummary[]> {
  await getTicketView(db, actor, ticketId);
  return listTicketEmails(db, ticketId);
}

export async function getRawEmail(db: Db, actor: Actor, ticketId: string, emailId: string): Promise<InboundEmailRow> {
  await getTicketView(db, actor, ticketId);
  const email = await findInboundEmail(db, emailId);
  if (!email || email.ticketId !== ticketId) throw notFound('e-mail');
  return email;
}

export async function listReceivedEmails(db: Db, limit: number): Promise<InboundEmailSummary[]> {
  return listRecentEmails(db, { limit });
}
