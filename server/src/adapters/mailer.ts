import type { Transporter } from 'nodemailer';

/** An e-mail to send. Headers carry threading (Message-ID, In-Reply-To, References). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  references: string[];
  /** An iCalendar part (a meeting invitation): mail clients offer to accept it. */
  icalEvent?: { method: string; content: string };
  /** Files attached to the mail (a scheduled report's CSV). */
  attachments?: { filename: string; content: string; contentType: string }[];
  /** More headers (List-Unsubscribe on status page mail); they cannot replace the ones above. */
  headers?: Record<string, string>;
}

/** Sends mail or throws; the job runner retries what throws. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * SMTP through nodemailer, from a URL such as smtp://user:pass@mail.example.com:587.
 * With `replyTo` (the support address), a requester's answer goes to the mailbox Firebreak
 * reads, and its In-Reply-To/References name our Message-ID, so it lands in the same ticket.
 */
export function smtpMailer(url: string, from: string, replyTo?: string): Mailer & { close(): void } {
  // Loaded with the first mail sent, not with the server: nodemailer is ~13 MB resident.
  let transport: Promise<Transporter> | undefined;
  const open = () => {
    transport ??= import('nodemailer').then((nodemailer) => nodemailer.default.createTransport(url));
    return transport;
  };
  return {
    async send(mail) {
      await (await open()).sendMail({
        from,
        ...(replyTo ? { replyTo } : {}),
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        inReplyTo: mail.references[0],
        references: mail.references,
        ...(mail.icalEvent ? { icalEvent: mail.icalEvent } : {}),
        ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
        headers: { ...mail.headers, 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => void transport?.then((opened) => opened.close()),
  };
}
