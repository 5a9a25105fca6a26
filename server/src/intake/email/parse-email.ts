import type { AddressObject } from 'mailparser';
import { htmlToText, type MailHeaders, readHeaderBlock, readHeaderValues } from '../../../../core/email-intake.js';

/** A received mail as intake needs it: decoded, text only, attachments as bytes. */
export interface ParsedEmail {
  headers: MailHeaders;
  /** Each Authentication-Results header's value, top first (the order matters: RFC 8601). */
  authenticationResults: string[];
  messageId: string | null;
  inReplyTo: string | null;
  references: string | null;
  from: { address: string; name: string } | null;
  subject: string;
  /** The text part, or the HTML part turned into text; never HTML. */
  text: string;
  attachments: { filename: string | null; contentType: string; content: Buffer }[];
  /** What could not be read, for the record (the original is kept either way). */
  problems: string[];
}

/**
 * Parses a raw message with mailparser. Broken MIME and unknown charsets are read as well as
 * they can be; if the parser gives up entirely, the headers are read leniently from the raw
 * text so the mail still makes a ticket with what could be read.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  const rawHead = raw.subarray(0, 256 * 1024).toString('latin1');
  const headers = readHeaderBlock(rawHead);
  const authenticationResults = readHeaderValues(rawHead, 'authentication-results');
  try {
    // Loaded with the first mail, not with the server: mailparser is ~25 MB resident, and a desk
    // without e-mail in never needs it.
    const { simpleParser } = await import('mailparser');
    const mail = await simpleParser(raw, {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
      maxHtmlLengthToParse: 2_000_000,
    });
    const problems: string[] = [];
    const text = mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToText(mail.html) : '';
    return {
      headers,
      authenticationResults,
      messageId: stripBrackets(mail.messageId ?? headers['message-id'] ?? null),
      inReplyTo: mail.inReplyTo ?? headers['in-reply-to'] ?? null,
      references: Array.isArray(mail.references) ? mail.references.join(' ') : (mail.references ?? headers.references ?? null),
      from: firstAddress(mail.from),
      subject: mail.subject ?? '',
      text,
      attachments: mail.attachments.map((a) => ({
        filename: a.filename ?? null,
        contentType: a.contentType || 'application/octet-stream',
        content: a.content,
      })),
      problems,
    };
  } catch (err) {
    const fromHeader = headers.from ?? '';
    const address = /<([^<>\s]+@[^<>\s]+)>/.exec(fromHeader)?.[1] ?? /([^\s<>",;]+@[^\s<>",;]+)/.exec(fromHeader)?.[1] ?? null;
    const bodyStart = rawHead.search(/\r?\n\r?\n/);
    return {
      headers,
      authenticationResults,
      messageId: stripBrackets(headers['message-id'] ?? null),
      inReplyTo: headers['in-reply-to'] ?? null,
      references: headers.references ?? null,
      from: address ? { address, name: '' } : null,
      subject: headers.subject ?? '',
      text: bodyStart === -1 ? '' : raw.subarray(bodyStart, bodyStart + 20_000).toString('utf8'),
      attachments: [],
      problems: [`the message could not be parsed (${(err as Error).message}); its text is shown as received`],
    };
  }
}

function stripBrackets(id: string | null): string | null {
  if (!id) return null;
  const inner = /<([^<>]+)>/.exec(id)?.[1] ?? id.trim();
  return inner.slice(0, 500) || null;
}

function firstAddress(from: AddressObject | AddressObject[] | undefined): { address: string; name: string } | null {
  const first = (Array.isArray(from) ? from : from ? [from] : []).flatMap((a) => a.value)[0];
  return first?.address ? { address: first.address, name: first.name ?? '' } : null;
}
