/**
 * The rules of e-mail intake (issue 5, part 1): pure functions from what a mail says to what
 * Firebreak does with it. No I/O here: the SMTP listener parses, the service looks things up and
 * writes, these decide.
 */
import { convert } from 'html-to-text';
import { acceptedTypeOfMime, decideFile, normaliseFilename } from './file-types.js';
import { type Actor, canSeeTicket, isStaff } from './permissions.js';
import { TICKET_NUMBER_PREFIX, type TicketState } from './vocabulary.js';

/** Header names in lower case → their (unfolded) value; repeated headers joined with ", ". */
export type MailHeaders = Record<string, string>;

/**
 * Reads a raw header block (up to the first empty line) leniently: folded lines are joined,
 * lines without a colon are skipped. Used to judge loops from the raw text, and as the fallback
 * when a message is too broken for the MIME parser.
 */
export function readHeaderBlock(raw: string): MailHeaders {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end === -1 ? raw : raw.slice(0, end);
  const headers: MailHeaders = {};
  let current: { name: string; value: string } | null = null;
  const flush = () => {
    if (!current) return;
    const value = current.value.replace(/\s+/g, ' ').trim();
    headers[current.name] = headers[current.name] !== undefined ? `${headers[current.name]}, ${value}` : value;
  };
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && current) {
      current.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    current = colon > 0 ? { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1) } : null;
  }
  flush();
  return headers;
}

/**
 * Every value of one header, in the order the headers appear (top first), unfolded. Needed where
 * the order and the separate occurrences matter (Authentication-Results: only the top-most ones,
 * written by our receiving server, are believed).
 */
export function readHeaderValues(raw: string, name: string): string[] {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end === -1 ? raw : raw.slice(0, end);
  const wanted = name.toLowerCase();
  const values: string[] = [];
  let current: string | null = null;
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      if (current !== null) current += ` ${line.trim()}`;
      continue;
    }
    if (current !== null) values.push(current.replace(/\s+/g, ' ').trim());
    const colon = line.indexOf(':');
    current = colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted ? line.slice(colon + 1) : null;
  }
  if (current !== null) values.push(current.replace(/\s+/g, ' ').trim());
  return values;
}

export const AUTOMATED_REASONS = [
  'null_sender',
  'mailer_daemon',
  'auto_submitted',
  'precedence',
  'autoreply_header',
  'mailing_list',
  'delivery_report',
  'own_address',
] as const;
export type AutomatedReason = (typeof AUTOMATED_REASONS)[number];

/**
 * Is this mail written by a machine (auto-reply, bounce, list traffic, or ourselves)? Such mail
 * is stored and recorded, but never opens a ticket or adds a comment, so nothing is ever sent
 * back to it and two systems cannot answer each other forever (RFC 3834).
 * `envelopeFrom` is the SMTP MAIL FROM ('' for the null sender `<>`), or null when unknown.
 */
export function detectAutomatedMail(input: {
  headers: MailHeaders;
  envelopeFrom: string | null;
  fromAddress: string | null;
  ownAddresses: readonly string[];
}): { reason: AutomatedReason; detail: string } | null {
  const h = input.headers;
  if (input.envelopeFrom === '' || /^<\s*>$/.test(h['return-path'] ?? '')) {
    return { reason: 'null_sender', detail: 'the envelope sender is empty (<>), as for bounces and auto-replies' };
  }
  for (const address of [input.envelopeFrom, input.fromAddress]) {
    const local = (address ?? '').split('@')[0].toLowerCase();
    if (local === 'mailer-daemon' || local === 'postmaster') {
      return { reason: 'mailer_daemon', detail: `sent by ${address}` };
    }
  }
  const autoSubmitted = (h['auto-submitted'] ?? '').trim().toLowerCase();
  if (autoSubmitted && !/^no\b/.test(autoSubmitted)) {
    return { reason: 'auto_submitted', detail: `Auto-Submitted: ${autoSubmitted}` };
  }
  const precedence = (h.precedence ?? '').trim().toLowerCase();
  if (/^(bulk|junk|list|auto_reply)\b/.test(precedence)) {
    return { reason: 'precedence', detail: `Precedence: ${precedence}` };
  }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply']) {
    if (h[name] !== undefined) return { reason: 'autoreply_header', detail: `${name} header present` };
  }
  for (const name of ['list-id', 'list-unsubscribe', 'list-post']) {
    if (h[name] !== undefined) return { reason: 'mailing_list', detail: `${name} header present` };
  }
  const contentType = (h['content-type'] ?? '').toLowerCase();
  if (/^\s*multipart\/report\b/.test(contentType) || /^\s*message\/(delivery-status|disposition-notification)\b/.test(contentType)) {
    return { reason: 'delivery_report', detail: `Content-Type: ${contentType.split(';')[0].trim()}` };
  }
  const own = input.ownAddresses.map((a) => a.toLowerCase());
  const from = input.fromAddress?.toLowerCase();
  if (from && own.includes(from)) return { reason: 'own_address', detail: `sent from our own address ${from}` };
  return null;
}

/** `<a@b> <c@d>` (or with commas, or without brackets) → ['a@b', 'c@d']. */
export function extractMessageIds(header: string | null | undefined): string[] {
  if (!header) return [];
  const bracketed = [...header.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
  if (bracketed.length > 0) return bracketed;
  return header
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => /^[^@\s]+@[^@\s]+$/.test(s));
}

const PREFIXES = Object.values(TICKET_NUMBER_PREFIX).join('|');
const SUBJECT_TAG = new RegExp(`\\[\\s*((?:${PREFIXES})\\d{7,})\\s*\\]`, 'i');
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export interface ThreadHints {
  /** Tickets named by our own `<ticket-…@domain>` reference, most recent first. */
  ticketIds: string[];
  /** Ids of our notifications named as `<id@domain>` (the Message-ID of each mail we send). */
  notificationIds: string[];
  /** Every referenced Message-ID, most recent first: may be a mail we received earlier. */
  messageIds: string[];
  /** The `[INC0000123]` tag of the subject, upper case. */
  ticketNumber: string | null;
}

/**
 * What a mail says about the conversation it belongs to. Our mails carry
 * `Message-ID: <notification-id@domain>` and `References: <ticket-id@domain>`; a reply names them
 * in In-Reply-To and References. The subject tag is the fallback for clients that drop headers.
 */
export function threadHints(input: {
  inReplyTo: string | null;
  references: string | null;
  subject: string;
  messageIdDomain: string;
}): ThreadHints {
  const ids = [...extractMessageIds(input.inReplyTo), ...extractMessageIds(input.references).reverse()];
  const messageIds = [...new Set(ids)].slice(0, 50);
  const domain = input.messageIdDomain.toLowerCase();
  const ticketIds: string[] = [];
  const notificationIds: string[] = [];
  for (const id of messageIds) {
    const at = id.lastIndexOf('@');
    if (at < 0 || id.slice(at + 1).toLowerCase() !== domain) continue;
    const local = id.slice(0, at).toLowerCase();
    const ticket = new RegExp(`^ticket-(${UUID})$`).exec(local);
    if (ticket) ticketIds.push(ticket[1]);
    else if (new RegExp(`^${UUID}$`).test(local)) notificationIds.push(local);
  }
  const tag = SUBJECT_TAG.exec(input.subject);
  return { ticketIds, notificationIds, messageIds, ticketNumber: tag ? tag[1].toUpperCase() : null };
}

const REPLY_PREFIX = /^\s*((re|fw|fwd|aw|wg|sv|vs|antw|rif|tr|r)\s*(\[\d+\])?\s*:\s*)+/i;

/** The ticket title a subject makes: without Re:/Fwd: prefixes and our tag; never empty. */
export function titleFromSubject(subject: string): string {
  let title = cleanText(subject).replace(/\s+/g, ' ');
  let previous = '';
  while (previous !== title) {
    previous = title;
    title = title.replace(REPLY_PREFIX, '').replace(SUBJECT_TAG, '').trim();
  }
  return truncate(title || '(no subject)', 200);
}

/** Removes NUL and other control characters (PostgreSQL text refuses NUL), normalises line ends. */
export function cleanText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/[\ud800-\udfff]/g, (c, i, s: string) => {
        // Keep valid surrogate pairs, drop lone halves (invalid UTF-16 cannot be stored as UTF-8).
        const code = c.charCodeAt(0);
        if (code < 0xdc00) return i + 1 < s.length && /[\udc00-\udfff]/.test(s[i + 1]) ? c : '';
        return i > 0 && /[\ud800-\udbff]/.test(s[i - 1]) ? c : '';
      })
  );
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Lines that start the quoted history a mail client appends under a reply. */
const QUOTE_HEADERS: RegExp[] = [
  /^\s*On\b.{0,300}\bwrote:\s*$/i,
  /^\s*Am\b.{0,300}\bschrieb.{0,100}:\s*$/i,
  /^\s*Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^\s*El\b.{0,300}\bescribió\s*:\s*$/i,
  /^\s*Op\b.{0,300}\bschreef.{0,100}:\s*$/i,
  /^\s*-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^\s*-{2,}\s*Ursprüngliche Nachricht\s*-{2,}\s*$/i,
  /^\s*-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^\s*_{20,}\s*$/,
];

/**
 * Trims the quoted history and the signature from a reply, leaving what the person wrote:
 * everything from "On … wrote:" (also split over two lines, and its German, French, Spanish,
 * Dutch forms), an Outlook "From: … Sent:/Date:" block, "-----Original Message-----", or the
 * "-- " signature separator onward is dropped, and so is every line quoted with ">".
 * If nothing would remain, the text is kept whole rather than losing what was sent.
 */
export function trimQuotedText(text: string): string {
  const lines = cleanText(text).split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]}` : line;
    const startsQuote =
      QUOTE_HEADERS.some((re) => re.test(line)) ||
      (/^\s*On\b/i.test(line) && !/wrote:\s*$/i.test(line) && /^\s*On\b.{0,300}\bwrote:\s*$/i.test(joined)) ||
      /^-- ?$/.test(line) ||
      (/^\s*\*?From:\*?\s+\S/i.test(line) && lines.slice(i + 1, i + 5).some((l) => /^\s*\*?(Sent|Date|To|Subject):\*?\s/i.test(l)));
    if (startsQuote) {
      end = i;
      break;
    }
  }
  const kept = lines
    .slice(0, end)
    .filter((line) => !/^\s*>/.test(line))
    .join('\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return kept || cleanText(text).trim();
}

/**
 * HTML to plain text, for mails that have no text part. Nothing of the HTML survives: scripts,
 * styles and images are dropped, links become "text [url]". Firebreak never stores mail HTML.
 */
export function htmlToText(html: string): string {
  return cleanText(
    convert(html, {
      wordwrap: false,
      limits: { maxInputLength: 2_000_000 },
      selectors: [
        { selector: 'img', format: 'skip' },
        { selector: 'script', format: 'skip' },
        { selector: 'style', format: 'skip' },
        { selector: 'head', format: 'skip' },
        { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
      ],
    }),
  );
}

export interface AttachmentLimits {
  /** Largest attachment kept, in bytes. */
  maxBytes: number;
  /** Most attachments kept from one mail. */
  maxCount: number;
}

export interface AttachmentDecision {
  filename: string;
  contentType: string;
  keep: boolean;
  /** Why it was not kept, naming the file. */
  reason?: string;
}

/** A file name safe to show and to send in Content-Disposition: no paths, no controls, bounded (core/file-types). */
export function safeFilename(name: string | null | undefined, index: number): string {
  return normaliseFilename(name, `attachment-${index + 1}`);
}

/**
 * Which attachments of a mail are kept: by the same rule as uploads (core/file-types: an accepted
 * type whose bytes agree with its name; `sniffed` is what the server detected in the bytes),
 * within the size and count limits. An attachment without a name is named after its declared
 * type, and its bytes must still be that type.
 */
export function decideAttachments(
  attachments: readonly { filename: string | null; contentType: string; content: Uint8Array; sniffed: string | undefined }[],
  limits: AttachmentLimits,
): AttachmentDecision[] {
  let kept = 0;
  return attachments.map((a, index) => {
    const declared = acceptedTypeOfMime(a.contentType);
    const fallback = `attachment-${index + 1}${declared ? `.${declared.extension}` : ''}`;
    const decision = decideFile({ filename: a.filename, content: a.content, sniffed: a.sniffed }, limits.maxBytes, fallback);
    const contentType = decision.keep ? decision.contentType : 'application/octet-stream';
    if (!decision.keep) return { filename: decision.filename, contentType, keep: false, reason: decision.reason };
    if (kept >= limits.maxCount) {
      return {
        filename: decision.filename,
        contentType,
        keep: false,
        reason: `${decision.filename}: more than ${limits.maxCount} attachments`,
      };
    }
    kept++;
    return { filename: decision.filename, contentType, keep: true };
  });
}

export type IntakeDecision =
  | { action: 'ignore'; reason: string }
  | { action: 'comment'; ticketId: string; reopen: boolean }
  | { action: 'new_ticket'; followUpOf: string | null };

/**
 * What a mail does, once the sender and the thread's ticket (if any) are known:
 * - machine mail (see detectAutomatedMail) and mail from a deactivated person change nothing;
 * - a reply to a ticket the sender may see becomes a public comment by the sender;
 * - a requester's (non-staff) reply to a resolved ticket also reopens it: mail has no "it is still
 *   broken" button, so answering the resolution is how a requester says the fix did not hold. A
 *   staff reply (an agent answering from their mail client) is only a comment;
 * - a reply to a closed or cancelled ticket the sender may see opens a new ticket that names it;
 * - a reply to a ticket the sender may NOT see opens a new ticket and names nothing of the other
 *   one: a guessed subject tag or a forwarded mail never reveals or changes someone else's ticket;
 * - anything else opens a new ticket.
 */
export function decideIntake(input: {
  automated: { reason: AutomatedReason; detail: string } | null;
  sender: (Actor & { active: boolean }) | null;
  thread: { id: string; number: string; state: TicketState; requesterId: string; reportedById: string } | null;
}): IntakeDecision {
  if (input.automated) return { action: 'ignore', reason: `${input.automated.reason}: ${input.automated.detail}` };
  if (!input.sender) return { action: 'ignore', reason: 'no_sender: the mail names no usable sender address' };
  if (!input.sender.active) return { action: 'ignore', reason: 'sender_deactivated: the sender’s account is deactivated' };
  const thread = input.thread;
  if (!thread || !canSeeTicket(input.sender, thread)) return { action: 'new_ticket', followUpOf: null };
  if (thread.state === 'closed' || thread.state === 'cancelled') return { action: 'new_ticket', followUpOf: thread.number };
  return { action: 'comment', ticketId: thread.id, reopen: thread.state === 'resolved' && !isStaff(input.sender) };
}

/**
 * The SMTP envelope of a mail read from a mailbox (IMAP), as the delivering server recorded it:
 * `Return-Path` is the envelope sender (`<>`, the null sender, becomes ''; absent, null —
 * unknown), `Delivered-To`/`X-Original-To` the recipients.
 */
export function envelopeOfStoredMail(headers: MailHeaders): { mailFrom: string | null; rcptTo: string[] } {
  const returnPath = headers['return-path'];
  let mailFrom: string | null = null;
  if (returnPath !== undefined) {
    const first = /<([^<>]*)>/.exec(returnPath)?.[1] ?? returnPath.split(',')[0];
    mailFrom = first.trim();
  }
  const rcptTo = [headers['delivered-to'], headers['x-original-to']]
    .flatMap((h) => (h ?? '').split(','))
    .map((a) => a.replace(/[<>]/g, '').trim().toLowerCase())
    .filter((a) => a.includes('@'));
  return { mailFrom, rcptTo: [...new Set(rcptTo)] };
}

/** A plausible mailbox address (what we are willing to create a requester for). */
export function isPlausibleAddress(address: string | null | undefined): address is string {
  return (
    !!address &&
    address.length <= 254 &&
    /^[^\s@<>()"',;:\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i.test(address)
  );
}

/**
 * Whether the listener accepts mail for a recipient: `allowed` holds addresses
 * (`support@example.com`) and domains (`example.com` or `@example.com`).
 */
export function isAllowedRecipient(address: string, allowed: readonly string[]): boolean {
  const lower = address.trim().toLowerCase();
  const domain = lower.split('@').pop() ?? '';
  return allowed.some((entry) => {
    const e = entry.trim().toLowerCase();
    if (e.includes('@') && !e.startsWith('@')) return e === lower;
    return lower.includes('@') && domain === e.replace(/^@/, '');
  });
}
