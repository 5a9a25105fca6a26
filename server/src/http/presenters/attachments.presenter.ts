import type { z } from 'zod';
import type { Attachment } from '../../../../core/contracts/email.js';
import type { AttachmentSummary } from '../../repositories/email.repository.js';

/** What is known of a file without its bytes. */
export function presentAttachment(a: AttachmentSummary): z.input<typeof Attachment> {
  return {
    id: a.id,
    ticketId: a.ticketId,
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    emailId: a.inboundEmailId,
    uploadedById: a.uploadedById,
    createdAt: a.createdAt.toISOString(),
  };
}
