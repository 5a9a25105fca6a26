import type { z } from 'zod';
import type { InboundEmail } from '../../../../core/contracts/email.js';
import type { ListedInboundEmail } from '../../repositories/email.repository.js';

/** A received mail and what it did, without its bytes (those are a download). */
export function presentInboundEmail(e: ListedInboundEmail): z.input<typeof InboundEmail> {
  return {
    id: e.id,
    receivedAt: e.receivedAt.toISOString(),
    messageId: e.messageId,
    envelopeFrom: e.envelopeFrom,
    envelopeTo: e.envelopeTo,
    fromAddress: e.fromAddress,
    subject: e.subject,
    size: e.rawSize,
    outcome: e.outcome,
    notes: e.notes,
    ticketId: e.ticketId,
    ticketNumber: e.ticketNumber,
    senderId: e.senderId,
  };
}
