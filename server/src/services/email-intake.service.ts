import { createHash } from 'node:crypto';
import type { INBOUND_EMAIL_OUTCOMES } from '../../../core/contracts/email.js';
import {
  type AttachmentLimits,
  cleanText,
  decideAttachments,
  decideIntake,
  detectAutomatedMail,
  extractMessageIds,
  isPlausibleAddress,
  readHeaderBlock,
  threadHints,
  titleFromSubject,
  trimQuotedText,
  truncate,
} from '../../../core/email-intake.js';
import { verifySender } from '../../../core/mail-authentication.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import type { Tx } from '../db/client.js';
import type { ParsedEmail } from '../intake/email/parse-email.js';
import {
  findEarlierDelivery,
  findEarlierDeliveryOfBytes,
  findThreadTicket,
  insertAttachments,
  insertInboundEmail,
  lockMessageId,
  updateInboundEmail,
} from '../repositories/email.repository.js';
import { findUserByEmail, type UserRow } from '../repositories/users.repository.js';
import { cleaningUpOnError, discardAttachmentContent, storeAttachmentContent } from './attachment-storage.service.js';
import type { ServiceDeps } from './deps.js';
import { sniffFileType } from './file-sniffing.js';

/** How long a mail without a Message-ID is recognised by its bytes when it comes again. */
const SAME_BYTES_WINDOW_MS = 7 * 24 * 60 * 60_000;

import { createUser } from './directory.service.js';
import { addComment } from './ticket-conversation.service.js';
import { reportTicket } from './ticket-intake.service.js';
import { transitionTicket } from './ticket-work.service.js';

export interface EmailIntakeSettings {
  /** The domain of the Message-IDs Firebreak sends (from FIREBREAK_MAIL_FROM): replies name them. */
  messageIdDomain: string;
  /** Our own addresses (support, sender): mail from them is a loop and is ignored. */
  ownAddresses: string[];
  attachments: AttachmentLimits;
  /**
   * Authserv-ids (RFC 8601) of the receiving mail servers whose Authentication-Results are
   * believed (FIREBREAK_MAIL_TRUSTED_AUTHSERV_IDS). Without a pass from one of them, or SMTP AUTH,
   * mail from a staff address is taken with a requester's rights.
   */
  trustedAuthservIds?: readonly string[];
}

export interface IncomingEmail {
  raw: Buffer;
  parsed: ParsedEmail;
  /** SMTP MAIL FROM ('' for the null sender `<>`; null when unknown) and RCPT TO. */
  envelope: { mailFrom: string | null; rcptTo: string[] };
  /** What the receiving side refused on the way (e.g. recipients over the limit), for the record. */
  notes?: string[];
  /** The sender authenticated (SMTP AUTH) to our listener, which then requires it of everyone. */
  authenticated?: boolean;
  /**
   * Read from a polled mailbox (IMAP), where every process polls: the same stored mail may be
   * read by two pollers at once, or again after a crash before it was flagged. Reading it again
   * is not a new delivery, so it is recognised by its bytes even when undated, auto-replies and
   * ignored mail included, and nothing new is recorded.
   */
  fromMailbox?: boolean;
}

export type EmailOutcome = (typeof INBOUND_EMAIL_OUTCOMES)[number];

export interface EmailIntakeResult {
  emailId: string;
  outcome: EmailOutcome;
  ticketId: string | null;
  ticketNumber: string | null;
  /** A reply that reopened its resolved ticket. */
  reopened?: boolean;
}

const BODY_LIMIT = 20_000;
/** Earlier records that make a mail arriving again a duplicate: it made something. */
const TAKEN: EmailOutcome[] = ['ticket_created', 'comment_added'];
/** Off a mailbox, also a mail only recorded: the same stored mail, read again. */
const TAKEN_OR_IGNORED: EmailOutcome[] = [...TAKEN, 'ignored'];
const REOPEN_REASON = 'Reopened by a reply by e-mail after the ticket was resolved.';

/**
 * Takes in one received mail, all in ONE transaction: the original bytes, the requester (found
 * by address, or created as an active requester without a password), the new ticket or the
 * public comment, and the attachments. The SMTP listener answers 250 only after this commits,
 * so a mail the sender was told we have is never lost; if anything fails, nothing is kept and
 * the sender is told to try again later.
 */
export async function receiveEmail(deps: ServiceDeps, settings: EmailIntakeSettings, mail: IncomingEmail): Promise<EmailIntakeResult> {
  const { parsed } = mail;
  const fromAddress = isPlausibleAddress(parsed.from?.address) ? parsed.from.address.toLowerCase() : null;
  const envelopeFrom = mail.envelope.mailFrom === null ? null : mail.envelope.mailFrom.toLowerCase();
  const automated = detectAutomatedMail({ headers: parsed.headers, envelopeFrom, fromAddress, ownAddresses: settings.ownAddresses });
  const hints = threadHints({
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
    subject: parsed.subject,
    messageIdDomain: settings.messageIdDomain,
  });
  const attachmentDecisions = decideAttachments(
    await Promise.all(parsed.attachments.map(async (a) => ({ ...a, sniffed: await sniffFileType(a.content) }))),
    settings.attachments,
  );
  const notes = [
    ...(mail.notes ?? []),
    ...parsed.problems,
    ...attachmentDecisions.filter((d) => !d.keep).map((d) => `attachment not kept: ${d.reason}`),
  ];

  const rawSha256 = createHash('sha256').update(mail.raw).digest('hex');
  // The kept files' bytes go in first, in parts outside the transaction (see attachment-storage);
  // the transaction below names the ones it attaches, and those it does not (a mail ignored, a
  // duplicate) — or all, if it fails — are removed again.
  const kept = parsed.attachments.flatMap((a, i) => (attachmentDecisions[i].keep ? [{ ...a, ...attachmentDecisions[i] }] : []));
  const storedIds: string[] = [];
  return cleaningUpOnError(deps.db, storedIds, async () => {
    for (const file of kept) storedIds.push(await storeAttachmentContent(deps, file.content));
    return deps.db.transaction(async (tx) => {
      const result = await receiveWithin(tx);
      if (result.outcome !== 'ticket_created' && result.outcome !== 'comment_added') await discardAttachmentContent(tx, storedIds);
      return result;
    });
  });

  async function receiveWithin(tx: Tx): Promise<EmailIntakeResult> {
    const now = deps.clock.now();
    const txDeps = { db: tx, clock: deps.clock };
    const record = {
      receivedAt: now,
      messageId: parsed.messageId,
      envelopeFrom,
      envelopeTo: mail.envelope.rcptTo,
      fromAddress,
      subject: truncate(cleanText(parsed.subject), 1000),
      rawSize: mail.raw.length,
      raw: mail.raw,
      rawSha256,
    };

    // The sender's server retries when it did not hear our 250 (a dropped connection): the
    // second copy is recorded, and does nothing twice. A mailbox read again (two processes'
    // pollers at once, or a crash between our commit and flagging the mail on the IMAP server)
    // does nothing twice either, and records nothing. A mail is known by its Message-ID. One
    // without is known by its bytes, for a week (retries end sooner), but only if it is dated: a
    // device that sends the same undated text for every new fault would otherwise have its second
    // fault taken for a copy of the first. Off a mailbox, undated too: a stored mail is the same
    // bytes each time it is read, while two deliveries differ in the lines servers add on the way.
    // The lock makes a second reader wait for the first one's commit, then see what it made.
    const dedupKey = parsed.messageId ?? (parsed.headers.date || mail.fromMailbox ? `sha256:${rawSha256}` : null);
    if ((!automated || mail.fromMailbox) && dedupKey) {
      await lockMessageId(tx, dedupKey);
      // Off a mailbox, a mail that was only recorded (ignored) counts too: it was read already.
      const outcomes = mail.fromMailbox ? TAKEN_OR_IGNORED : TAKEN;
      const earlier = parsed.messageId
        ? await findEarlierDelivery(tx, parsed.messageId, fromAddress, outcomes)
        : await findEarlierDeliveryOfBytes(tx, rawSha256, new Date(now.getTime() - SAME_BYTES_WINDOW_MS), outcomes);
      if (earlier && mail.fromMailbox) {
        return { emailId: earlier.id, outcome: 'duplicate' as const, ticketId: earlier.ticketId, ticketNumber: null };
      }
      if (earlier?.ticketId) {
        const duplicate = await insertInboundEmail(tx, {
          ...record,
          outcome: 'duplicate',
          ticketId: earlier.ticketId,
          notes: [`duplicate of the mail received at ${earlier.receivedAt.toISOString()}`, ...notes],
        });
        return { emailId: duplicate.id, outcome: 'duplicate' as const, ticketId: earlier.ticketId, ticketNumber: null };
      }
    }

    const email = await insertInboundEmail(tx, { ...record, outcome: 'ignored', notes });
    let trustNote: string | undefined;
    const finish = async (
      outcome: EmailOutcome,
      patch: { ticketId?: string; timelineEventId?: number; senderId?: string; note?: string },
    ) => {
      await updateInboundEmail(tx, email.id, {
        outcome,
        ticketId: patch.ticketId ?? null,
        timelineEventId: patch.timelineEventId ?? null,
        senderId: patch.senderId ?? null,
        notes: [patch.note, trustNote, ...notes].filter((n): n is string => !!n),
      });
    };

    // The From header names the person; a mail without one is taken as from its envelope sender.
    const senderAddress = fromAddress ?? (isPlausibleAddress(envelopeFrom) ? envelopeFrom : null);
    const sender = automated || !senderAddress ? null : await findOrCreateRequester(txDeps, senderAddress, parsed.from?.name ?? '');
    // Anyone can write a staff member's address in From: such mail acts as staff only when its
    // sender is authenticated (SMTP AUTH, or a trusted server's Authentication-Results); otherwise
    // it is taken with a requester's rights, and the record says why.
    const verification =
      sender && senderAddress && isStaff(sender)
        ? verifySender({
            listenerAuthenticated: mail.authenticated === true,
            authenticationResults: parsed.authenticationResults,
            trustedAuthservIds: settings.trustedAuthservIds ?? [],
            fromAddress: senderAddress,
          })
        : null;
    const role = verification && !verification.verified ? 'requester' : sender?.role;
    if (verification && !verification.verified) {
      trustNote = `taken with a requester's rights, not as staff: the sender's address belongs to staff, but ${verification.why}`;
    }
    const thread = sender ? await findThreadTicket(tx, hints) : undefined;
    const decision = decideIntake({
      automated,
      sender: sender && role ? { id: sender.id, role, active: sender.active } : null,
      thread: thread ?? null,
    });
    if (decision.action === 'ignore') {
      await finish('ignored', { senderId: sender?.id, note: decision.reason });
      return { emailId: email.id, outcome: 'ignored' as const, ticketId: null, ticketNumber: null };
    }

    const actor: Actor = { id: (sender as UserRow).id, role: role ?? 'requester' };
    const body = composeBody(
      parsed.text,
      kept.map((a) => a.filename),
      notes,
      decision.action === 'new_ticket' ? decision.followUpOf : null,
    );

    let ticketId: string;
    let ticketNumber: string;
    let timelineEventId: number | undefined;
    let reopened = false;
    if (decision.action === 'comment') {
      const event = await addComment(txDeps, actor, decision.ticketId, { body: body || '(no text)', visibility: 'public' });
      ticketId = decision.ticketId;
      ticketNumber = (thread as NonNullable<typeof thread>).number;
      timelineEventId = event.id;
      if (decision.reopen) {
        // The same move as the portal's "No, it is still broken": the state machine checks it and
        // wants a reason; the reply itself is the comment just before it on the timeline.
        await transitionTicket(txDeps, actor, ticketId, { to: 'in_progress', reason: REOPEN_REASON });
        reopened = true;
      }
    } else {
      const { ticket } = await reportTicket(
        txDeps,
        actor,
        {
          kind: 'incident',
          title: titleFromSubject(parsed.subject),
          description: body,
          impact: 3,
          urgency: 3,
          scope: 'local',
        },
        { defaultChannel: 'email' },
      );
      ticketId = ticket.id;
      ticketNumber = ticket.number;
    }
    await insertAttachments(
      tx,
      kept.map((a, i) => ({
        id: storedIds[i],
        ticketId,
        inboundEmailId: email.id,
        filename: a.filename,
        contentType: a.contentType,
        size: a.content.length,
        uploadedById: actor.id,
        createdAt: now,
      })),
    );
    const outcome = decision.action === 'comment' ? 'comment_added' : 'ticket_created';
    await finish(outcome, {
      ticketId,
      timelineEventId,
      senderId: actor.id,
      note: reopened ? `the reply reopened ${ticketNumber}, which was resolved` : undefined,
    });
    return { emailId: email.id, outcome, ticketId, ticketNumber, reopened } as EmailIntakeResult;
  }
}

/** The ticket's description or the comment: what the person wrote, and what came with it. */
function composeBody(text: string, keptFiles: string[], notes: string[], followUpOf: string | null): string {
  const parts = [
    followUpOf ? `Follow-up to ${followUpOf}, which is closed to replies.` : '',
    trimQuotedText(text),
    keptFiles.length > 0 ? `Attachments: ${keptFiles.join(', ')}` : '',
    ...notes,
  ].filter((p) => p.trim() !== '');
  return truncate(parts.join('\n\n'), BODY_LIMIT);
}

/** The person behind an address: found case-insensitively, or created as an active requester with no password. */
async function findOrCreateRequester(deps: ServiceDeps, address: string, displayName: string): Promise<UserRow> {
  const existing = await findUserByEmail(deps.db, address);
  if (existing) return existing;
  const name = truncate(cleanText(displayName).replace(/\s+/g, ' ').trim() || address.split('@')[0], 200);
  // Two first mails from one address at once: the second transaction fails on the unique
  // address, the listener answers 451, and the sender's retry finds the person.
  return createUser(deps, { email: address, name, role: 'requester', timeZone: 'UTC' });
}

/**
 * A message refused as too large is recorded for the admin (GET /inbound-emails) with its
 * headers only — who sent what, and why it was refused — never its body.
 */
export async function recordRefusedEmail(
  deps: ServiceDeps,
  mail: { head: Buffer; size: number; envelope: { mailFrom: string | null; rcptTo: string[] }; reason: string },
): Promise<string> {
  const text = mail.head.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const headerBytes = end === -1 ? mail.head : mail.head.subarray(0, end);
  const headers = readHeaderBlock(headerBytes.toString('latin1'));
  const from = /<([^<>\s]+@[^<>\s]+)>/.exec(headers.from ?? '')?.[1] ?? headers.from ?? null;
  const row = await insertInboundEmail(deps.db, {
    receivedAt: deps.clock.now(),
    messageId: extractMessageIds(headers['message-id'])[0] ?? null,
    envelopeFrom: mail.envelope.mailFrom?.toLowerCase() ?? null,
    envelopeTo: mail.envelope.rcptTo,
    fromAddress: isPlausibleAddress(from) ? from.toLowerCase() : null,
    subject: truncate(cleanText(headers.subject ?? ''), 1000),
    rawSize: mail.size,
    raw: headerBytes,
    outcome: 'refused',
    notes: [mail.reason, 'only the headers were kept'],
  });
  return row.id;
}
