import type { ImapFlow } from 'imapflow';
import { envelopeOfStoredMail, readHeaderBlock } from '../../../../core/email-intake.js';
import { type BackoffPolicy, retryDelay } from '../../../../core/retry.js';
import type { ServiceDeps } from '../../services/deps.js';
import { type EmailIntakeSettings, receiveEmail, recordRefusedEmail } from '../../services/email-intake.service.js';
import { parseEmail } from './parse-email.js';

export interface IntakeLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MailboxPassOptions {
  mailbox: string;
  /** After a mail is committed: flag it \Seen, and/or move it to this folder. */
  markSeen: boolean;
  moveTo: string | null;
  /** Larger mails are not read: their headers are recorded as refused, then they are flagged/moved. */
  maxBytes: number;
  /** Mails per pass, oldest first; the poller starts the next pass at once while more wait. */
  batchSize: number;
  /**
   * Mails whose intake failed, by UID, and when to try each again: one that keeps failing (a
   * poison mail) waits longer and longer instead of blocking the mail behind it.
   */
  retryLater: Map<number, { failures: number; notBefore: number }>;
  /** Wall-clock milliseconds, for `retryLater`. */
  now: () => number;
  /** Checked between mails, so a stop lets the mail in hand finish and takes no other. */
  stopping: () => boolean;
  log: IntakeLog;
  /** Where we poll, for every log line (never the password). */
  where: string;
  /** Told of each mail taken in or refused (for the metrics). */
  onIntake?: (outcome: 'received' | 'refused') => void;
}

export interface PassReport {
  /** Mails committed (tickets, comments, ignored, duplicates, refused) and then flagged/moved. */
  taken: number;
  /** Mails whose intake failed: left unread on the server, taken again by a later pass. */
  failed: number;
  /** More unseen mail waits beyond this batch. */
  more: boolean;
}

/** Consecutive intake failures after which a pass stops (the database is likely down). */
const FAILURES_BEFORE_PAUSE = 3;
const REFUSED_HEAD_BYTES = 64 * 1024;
/** How long a mail whose intake failed waits before it is tried again. */
const MAIL_RETRY: BackoffPolicy = { baseMs: 5_000, maxMs: 30 * 60_000 };

/**
 * A folder as configured (`Firebreak/Processed`): `/` separates levels, and imapflow joins them
 * with the server's own delimiter (dovecot's maildir uses `.`, others `/`).
 */
export function folderPath(folder: string): string[] {
  return folder.split('/').filter((part) => part !== '');
}

/** Creates the folder processed mail moves to (if any), then selects the polled mailbox. */
export async function openPolledMailbox(client: ImapFlow, options: Pick<MailboxPassOptions, 'mailbox' | 'moveTo'>): Promise<void> {
  if (options.moveTo) await client.mailboxCreate(folderPath(options.moveTo)); // answers created: false when it exists
  await client.mailboxOpen(folderPath(options.mailbox));
}

/**
 * One pass over the unseen mail of the selected mailbox, oldest first. Each mail is committed
 * through the same intake service as the SMTP listener BEFORE it is flagged or moved on the
 * server: a crash in between leaves it unseen, the next pass reads it again, and the intake
 * recognizes it (by Message-ID, else its bytes: outcome `duplicate`, nothing recorded), so it
 * never makes a second ticket. The same holds when every process polls the mailbox and two
 * passes read one mail at once: the intake's lock on the mail makes the second wait for the first.
 *
 * An IMAP failure (connection lost) is thrown to the poller, which reconnects; an intake failure
 * is logged and the mail left for a later pass.
 */
export async function takeInUnseenMail(
  client: ImapFlow,
  deps: ServiceDeps,
  settings: EmailIntakeSettings,
  options: MailboxPassOptions,
): Promise<PassReport> {
  const unseen = (await client.search({ seen: false }, { uid: true })) || [];
  const now = options.now();
  const due = [...unseen].filter((uid) => (options.retryLater.get(uid)?.notBefore ?? 0) <= now).sort((a, b) => a - b);
  const batch = due.slice(0, options.batchSize);
  const report: PassReport = { taken: 0, failed: 0, more: due.length > batch.length };
  if (batch.length === 0) return report;
  // Sizes first (a small answer), so an oversize mail is never downloaded whole.
  const sizes = await client.fetchAll(batch, { uid: true, size: true }, { uid: true });
  let failuresInARow = 0;
  for (const { uid, size } of sizes.sort((a, b) => a.uid - b.uid)) {
    if (options.stopping()) {
      report.more = true;
      break;
    }
    const context = { imap: options.where, uid, size };
    const tooLarge = (size ?? 0) > options.maxBytes;
    const fetched = await client.fetchOne(
      String(uid),
      { uid: true, source: tooLarge ? { start: 0, maxLength: REFUSED_HEAD_BYTES } : true },
      { uid: true },
    );
    const raw = fetched ? fetched.source : undefined;
    if (!raw) continue; // expunged meanwhile (another client, another poller)
    try {
      if (tooLarge) {
        const reason = `refused as too large: ${size} bytes, at most ${options.maxBytes}`;
        const emailId = await recordRefusedEmail(deps, {
          head: raw,
          size: size ?? raw.length,
          envelope: envelopeOfStoredMail(readHeaderBlock(raw.toString('latin1'))),
          reason,
        });
        options.log.warn({ ...context, emailId }, `IMAP: message ${reason}; recorded with its headers only`);
        options.onIntake?.('refused');
      } else {
        const parsed = await parseEmail(raw);
        const result = await receiveEmail(deps, settings, {
          raw,
          parsed,
          envelope: envelopeOfStoredMail(parsed.headers),
          fromMailbox: true,
        });
        options.log.info(
          { ...context, emailId: result.emailId, outcome: result.outcome, ticketId: result.ticketId, reopened: result.reopened },
          'e-mail received (IMAP)',
        );
        options.onIntake?.('received');
      }
      failuresInARow = 0;
      options.retryLater.delete(uid);
    } catch (err) {
      report.failed++;
      failuresInARow++;
      const failures = (options.retryLater.get(uid)?.failures ?? 0) + 1;
      const retryInMs = retryDelay(failures, Math.random(), MAIL_RETRY);
      options.retryLater.set(uid, { failures, notBefore: options.now() + retryInMs });
      options.log.error(
        { ...context, err, attempt: failures, retryInMs },
        'e-mail intake failed; the mail stays unread on the server and is taken again later',
      );
      if (failuresInARow >= FAILURES_BEFORE_PAUSE) {
        options.log.warn({ imap: options.where }, `IMAP: ${FAILURES_BEFORE_PAUSE} mails in a row failed; pausing until the next poll`);
        report.more = false;
        return report;
      }
      continue;
    }
    // Committed: only now is the mail marked done on the server.
    if (options.markSeen) await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    if (options.moveTo) await client.messageMove(String(uid), folderPath(options.moveTo), { uid: true });
    report.taken++;
  }
  return report;
}
