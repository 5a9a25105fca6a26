import { z } from 'zod';
import { Id, Timestamp } from './common.js';

export const Attachment = z.object({
  id: Id,
  ticketId: Id,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  /** The mail it came with, if any. */
  emailId: Id.nullable(),
  uploadedById: Id.nullable(),
  createdAt: Timestamp,
});

export const INBOUND_EMAIL_OUTCOMES = ['ticket_created', 'comment_added', 'ignored', 'duplicate', 'refused'] as const;

export const InboundEmail = z.object({
  id: Id,
  receivedAt: Timestamp,
  messageId: z.string().nullable(),
  envelopeFrom: z.string().nullable(),
  envelopeTo: z.array(z.string()),
  fromAddress: z.string().nullable(),
  subject: z.string(),
  size: z.number().int(),
  /** What the mail did: made a ticket, added a comment, was ignored (the reason is in notes), repeated an earlier delivery, or was refused (too large; only its headers were kept). */
  outcome: z.enum(INBOUND_EMAIL_OUTCOMES),
  notes: z.array(z.string()),
  ticketId: Id.nullable(),
  /** The ticket's number (INC0000123), what people know it by. */
  ticketNumber: z.string().nullable(),
  senderId: Id.nullable(),
});

export const EmailParams = z.strictObject({ id: Id, emailId: Id });

export const InboundEmailsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/** A file or a stored mail, sent as a download with its own type. */
export const Binary = z.any().describe('the file');

/** Attaching a file: the body is the file, named here (URL-encoded). */
export const UploadHeaders = z.looseObject({
  'x-filename': z.string({ error: 'name the file in X-Filename (URL-encoded)' }).min(1).max(1000),
});
