import type { Readable } from 'node:stream';
import { fieldError, notFound } from '../../../core/errors.js';
import { decideFile } from '../../../core/file-types.js';
import type { Actor } from '../../../core/permissions.js';
import type { Db } from '../db/client.js';
import {
  type AttachmentRow,
  type AttachmentSummary,
  findAttachment,
  findInboundEmail,
  type InboundEmailRow,
  insertAttachments,
  type ListedInboundEmail,
  listRecentEmails,
  listTicketAttachments,
  listTicketEmails,
} from '../repositories/email.repository.js';
import { cleaningUpOnError, readAttachmentContent, storeAttachmentContent } from './attachment-storage.service.js';
import type { ServiceDeps } from './deps.js';
import { sniffFileType } from './file-sniffing.js';
import { addComment } from './ticket-conversation.service.js';
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

/**
 * An attachment to download: its description, and its bytes as a stream read part by part (so a
 * large file never holds the embedded engine for long). The stream starts reading when consumed.
 */
export async function getAttachment(db: Db, actor: Actor, id: string): Promise<AttachmentRow & { content: Readable }> {
  const attachment = await findAttachment(db, id);
  if (!attachment) throw notFound('attachment');
  try {
    await getTicketView(db, actor, attachment.ticketId);
  } catch {
    throw notFound('attachment');
  }
  return { ...attachment, content: readAttachmentContent(db, attachment) };
}

export async function listEmailsOfTicket(db: Db, actor: Actor, ticketId: string): Promise<ListedInboundEmail[]> {
  await getTicketView(db, actor, ticketId);
  return listTicketEmails(db, ticketId);
}

export async function getRawEmail(db: Db, actor: Actor, ticketId: string, emailId: string): Promise<InboundEmailRow> {
  await getTicketView(db, actor, ticketId);
  const email = await findInboundEmail(db, emailId);
  if (!email || email.ticketId !== ticketId) throw notFound('e-mail');
  return email;
}

export async function listReceivedEmails(db: Db, limit: number): Promise<ListedInboundEmail[]> {
  return listRecentEmails(db, { limit });
}

/**
 * Any received mail's original bytes, for the admin's list of received mail: the ignored and
 * refused ones belong to no ticket, and their bytes are how an admin finds out why.
 */
export async function getReceivedEmailRaw(db: Db, emailId: string): Promise<InboundEmailRow> {
  const email = await findInboundEmail(db, emailId);
  if (!email) throw notFound('e-mail');
  return email;
}

export interface UploadLimits {
  maxBytes: number;
}

/**
 * A person attaches a file to a ticket they may see. The same rule as e-mail attachments
 * (core/file-types: an accepted type by its normalised name, and bytes that are that type; within
 * the size limit); stored and served with the type's own Content-Type, never the one claimed. The
 * file is announced on the timeline as a public comment by its uploader, so the other side hears
 * of it — and, like any comment, a closed ticket takes no more.
 */
export async function uploadAttachment(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  file: { filename: string; contentType: string; content: Buffer },
  limits: UploadLimits,
) {
  // The ticket first: a file sent to a ticket you may not see is "not found", whatever its bytes,
  // and its bytes are not examined for a caller who may not attach there.
  await getTicketView(deps.db, actor, ticketId);
  if (file.content.length === 0) throw fieldError('validation_failed', 'file', 'is empty');
  const decision = decideFile(
    { filename: file.filename, content: file.content, sniffed: await sniffFileType(file.content) },
    limits.maxBytes,
  );
  if (!decision.keep) {
    throw fieldError(decision.refusal === 'type' ? 'unsupported_media_type' : 'payload_too_large', 'file', decision.reason);
  }
  // The bytes first, in parts outside any transaction (the embedded engine serves others between
  // them); then the row that makes the file visible, with its timeline entry, in one short one.
  const attachmentId = await storeAttachmentContent(deps, file.content);
  return cleaningUpOnError(deps.db, [attachmentId], () =>
    deps.db.transaction(async (tx) => {
      const kb = Math.max(1, Math.round(file.content.length / 1024));
      await addComment({ db: tx, clock: deps.clock }, actor, ticketId, {
        body: `Attached ${decision.filename} (${kb} KB)`,
        visibility: 'public',
      });
      const [row] = await insertAttachments(tx, [
        {
          id: attachmentId,
          ticketId,
          filename: decision.filename,
          contentType: decision.contentType,
          size: file.content.length,
          uploadedById: actor.id,
          createdAt: deps.clock.now(),
        },
      ]);
      return row;
    }),
  );
}
