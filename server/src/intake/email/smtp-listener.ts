import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { SMTPServerOptions } from 'smtp-server';
import { isAllowedRecipient } from '../../../../core/email-intake.js';
import type { ServiceDeps } from '../../services/deps.js';
import { type EmailIntakeSettings, receiveEmail, recordRefusedEmail } from '../../services/email-intake.service.js';
import { parseEmail } from './parse-email.js';

export interface SmtpListenerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Addresses (support@example.com) and domains (example.com) we take mail for. */
  allowedRecipients: string[];
  /** Largest message, in bytes: announced with SIZE, enforced while DATA streams in (552). */
  maxBytes: number;
  /** Most recipients per message; more are refused with 452. */
  maxRecipients: number;
  /** When set, senders must AUTH with these. */
  auth: { username: string; password: string } | null;
  /** When set, STARTTLS is offered; otherwise it is not. */
  tls: { key: Buffer; cert: Buffer } | null;
  /** Our name in the greeting. */
  hostname: string;
  log: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  /** Told of each message taken in or refused (for the metrics). */
  onIntake?: (outcome: 'received' | 'refused') => void;
}

export interface SmtpListener {
  port: number;
  /** Stops taking connections, lets mails being committed finish, then closes. */
  stop(): Promise<void>;
}

function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * E-mail in: an SMTP server that commits each mail (original bytes, ticket or comment,
 * attachments) in one transaction before it answers 250 to DATA. It calls the same services
 * as the HTTP API. Failures inside are answered 451 (try again later): the sending server keeps
 * the mail and retries, so nothing is lost and nothing crashes the listener.
 */
export async function startSmtpListener(
  deps: ServiceDeps,
  settings: EmailIntakeSettings,
  options: SmtpListenerOptions,
): Promise<SmtpListener> {
  // Recipients refused for being over the limit, per connection's transaction: noted on the mail.
  const refusedRecipients = new Map<string, number>();
  const disabledCommands = [...(options.tls ? [] : ['STARTTLS']), ...(options.auth ? [] : ['AUTH'])];
  const serverOptions: SMTPServerOptions = {
    name: options.hostname,
    banner: 'Firebreak ready',
    logger: false,
    disableReverseLookup: true,
    disabledCommands,
    authOptional: !options.auth,
    // Without TLS, AUTH travels in the clear: acceptable on loopback or a private link only (README).
    allowInsecureAuth: !options.tls,
    size: options.maxBytes,
    maxClients: 100,
    socketTimeout: 60_000,
    closeTimeout: 10_000,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    onAuth(auth, _session, callback) {
      const expected = options.auth;
      const ok =
        !!expected &&
        timingSafeEqual(digest(auth.username ?? ''), digest(expected.username)) &&
        timingSafeEqual(digest(auth.password ?? ''), digest(expected.password));
      if (!ok) {
        options.log.warn({ username: auth.username }, 'SMTP authentication refused');
        callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
        return;
      }
      callback(null, { user: auth.username });
    },
    onMailFrom(_address, session, callback) {
      refusedRecipients.delete(session.id); // a new transaction starts counting again
      callback();
    },
    onClose(session) {
      refusedRecipients.delete(session.id);
    },
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= options.maxRecipients) {
        refusedRecipients.set(session.id, (refusedRecipients.get(session.id) ?? 0) + 1);
        callback(smtpError(452, `4.5.3 Too many recipients: at most ${options.maxRecipients} per message`));
        return;
      }
      if (!isAllowedRecipient(address.address, options.allowedRecipients)) {
        callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
        return;
      }
      callback();
    },
    onData(stream, session, done) {
      // Answer once, whatever happens on the stream.
      let answered = false;
      const callback = (err?: Error | null, message?: string) => {
        if (answered) return;
        answered = true;
        done(err ?? null, message);
      };
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Keep reading to the end (the protocol needs it), but stop keeping bytes past the limit.
        if (size <= options.maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address;
        const rcptTo = session.envelope.rcptTo.map((r) => r.address);
        const refused = refusedRecipients.get(session.id) ?? 0;
        refusedRecipients.delete(session.id);
        if (stream.sizeExceeded || size > options.maxBytes) {
          const reason = `refused as too large: ${size} bytes, at most ${options.maxBytes}`;
          options.log.warn({ size, from: mailFrom }, `SMTP: message ${reason}`);
          options.onIntake?.('refused');
          const head = Buffer.concat(chunks).subarray(0, 64 * 1024);
          // Recorded for the admin, then refused either way: the record is best effort.
          recordRefusedEmail(deps, { head, size, envelope: { mailFrom, rcptTo }, reason })
            .catch((err: Error) => options.log.error({ err }, 'could not record a refused e-mail'))
            .finally(() => callback(smtpError(552, `5.3.4 Message too big: at most ${options.maxBytes} bytes`)));
          return;
        }
        const raw = Buffer.concat(chunks, size);
        const notes = refused > 0 ? [`${refused} more recipients were refused (at most ${options.maxRecipients} per message)`] : [];
        parseEmail(raw)
          .then((parsed) =>
            // With AUTH configured every session has authenticated (authOptional is off).
            receiveEmail(deps, settings, { raw, parsed, envelope: { mailFrom, rcptTo }, notes, authenticated: !!session.user }),
          )
          .then(
            (result) => {
              options.log.info({ emailId: result.emailId, outcome: result.outcome, ticketId: result.ticketId }, 'e-mail received');
              options.onIntake?.('received');
              callback(
                null,
                `Accepted ${result.outcome.replace('_', ' ')}${result.ticketNumber ? ` ${result.ticketNumber}` : ''}${result.reopened ? ' reopened' : ''} (${result.emailId})`,
              );
            },
            (err: Error) => {
              options.log.error({ err, from: mailFrom }, 'e-mail intake failed; the sender was told to retry');
              callback(smtpError(451, '4.3.0 Temporary failure, please try again later'));
            },
          );
      });
    },
  };
  // Loaded only when the listener is configured (~11 MB resident otherwise for nothing).
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer(serverOptions);
  server.on('error', (err) => options.log.warn({ err }, 'SMTP connection error'));
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    port,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return stopping;
    },
  };
}
