import type { ImapFlow } from 'imapflow';
import { type BackoffPolicy, retryDelay } from '../../../../core/retry.js';
import type { ImapPollConfig } from '../../config.js';
import type { ServiceDeps } from '../../services/deps.js';
import type { EmailIntakeSettings } from '../../services/email-intake.service.js';
import { type IntakeLog, openPolledMailbox, type PassReport, takeInUnseenMail } from './imap-mailbox-pass.js';

/** The mailbox and what to do with its mail (see ImapPollConfig), and how the poller behaves. */
export interface ImapPollerOptions extends ImapPollConfig {
  /** Waits between failed connections (IMAP server down, wrong password). */
  backoff?: BackoffPolicy;
  batchSize?: number;
  log: IntakeLog;
  /** Called after each pass (tests wait on it; nothing else needs it). */
  onPass?: (report: PassReport) => void;
  /** Told of each mail taken in or refused (for the metrics). */
  onIntake?: (outcome: 'received' | 'refused') => void;
}

export interface ImapPoller {
  /** Lets the mail in hand finish, takes no other, logs out. */
  stop(): Promise<void>;
}

export const IMAP_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 10 * 60_000 };
/** How long `stop` waits for the mail in hand before it drops the connection. */
const STOP_GRACE_MS = 10_000;

/**
 * E-mail in from a mailbox: keeps one IMAP connection to it, takes in its unseen mail on every
 * poll and whenever the server announces new mail (IDLE), and reconnects with capped
 * exponential backoff when the server is down, refuses the sign-in or drops the connection.
 * Nothing here throws into the process: every failure is logged with where it happened and
 * retried.
 */
export function startImapPoller(deps: ServiceDeps, settings: EmailIntakeSettings, options: ImapPollerOptions): ImapPoller {
  const where = `${options.user}@${options.host}:${options.port}/${options.mailbox}`;
  const backoff = options.backoff ?? IMAP_BACKOFF;
  let stopped = false;
  let current: ImapFlow | null = null;
  let wakeUp: (() => void) | null = null;
  const wake = () => wakeUp?.();
  /** Sleeps up to `ms`; new mail, a dropped connection or stop end it early. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  // Failed mails by UID: UIDs stay valid while the mailbox's UIDVALIDITY does, so the map is
  // kept across reconnects and dropped when UIDVALIDITY changes.
  const retryLater = new Map<number, { failures: number; notBefore: number }>();
  let uidValidity: bigint | null = null;

  const session = async (client: ImapFlow, state: { closed: boolean; news: boolean }, onOpen: () => void) => {
    await client.connect();
    await openPolledMailbox(client, options);
    const validity = client.mailbox ? client.mailbox.uidValidity : null;
    if (validity !== uidValidity) retryLater.clear();
    uidValidity = validity;
    onOpen();
    while (!stopped && !state.closed) {
      state.news = false;
      const report = await takeInUnseenMail(client, deps, settings, {
        mailbox: options.mailbox,
        markSeen: options.markSeen,
        moveTo: options.moveTo,
        maxBytes: options.maxBytes,
        batchSize: options.batchSize ?? 100,
        retryLater,
        now: Date.now,
        stopping: () => stopped,
        log: options.log,
        where,
        onIntake: options.onIntake,
      });
      options.onPass?.(report);
      if (stopped || state.closed) break;
      // More waiting, or new mail announced while the pass ran (after its SEARCH): go again.
      if (report.more || state.news) continue;
      // IDLE until the next poll: the server announces new mail (an `exists` event) at once.
      // Its end (the next command breaks it) and its failures show up as a closed connection.
      client.idle().catch(() => undefined);
      await pause(options.pollIntervalMs);
    }
    if (state.closed && !stopped)
      throw new Error(`the IMAP server closed the connection${client.byeReason ? `: ${client.byeReason}` : ''}`);
  };

  const loop = (async () => {
    let failures = 0;
    // Loaded only when a mailbox is configured: imapflow and its dependencies are ~30 MB resident.
    const { ImapFlow: ImapClient } = await import('imapflow');
    while (!stopped) {
      const state = { closed: false, news: false };
      const client = new ImapClient({
        host: options.host,
        port: options.port,
        secure: options.secure,
        auth: { user: options.user, pass: options.password },
        logger: false,
        disableAutoIdle: true,
        // Servers drop a session silent for 30 minutes, IDLE ones included (RFC 9051).
        maxIdleTime: 20 * 60_000,
        connectionTimeout: 30_000,
        greetingTimeout: 16_000,
      });
      current = client;
      // Without a listener an 'error' event would end the process; the failure also closes the
      // connection, which the session sees.
      client.on('error', (err: Error) => options.log.warn({ imap: where, err: describe(err) }, 'IMAP connection error'));
      client.on('close', () => {
        state.closed = true;
        wake();
      });
      client.on('exists', (event) => {
        if (event.count > event.prevCount) {
          state.news = true;
          wake();
        }
      });
      try {
        await session(client, state, () => {
          options.log.info(
            { imap: where },
            failures > 0 ? 'IMAP: the mailbox is reachable again' : 'IMAP: polling the mailbox for new mail',
          );
          failures = 0;
        });
      } catch (err) {
        if (stopped) break;
        failures++;
        const retryInMs = retryDelay(failures, Math.random(), backoff);
        const authFailed = (err as { authenticationFailed?: boolean }).authenticationFailed === true;
        if (authFailed) {
          options.log.error(
            { imap: where, attempt: failures, retryInMs, err: describe(err) },
            `IMAP: the server refused the sign-in of ${options.user}: check the user and password in FIREBREAK_IMAP_URL; trying again in ${Math.round(retryInMs / 1000)} s`,
          );
        } else {
          options.log.warn(
            { imap: where, attempt: failures, retryInMs, err: describe(err) },
            `IMAP: cannot poll the mailbox (${describe(err).message}); trying again in ${Math.round(retryInMs / 1000)} s`,
          );
        }
        closeQuietly(client);
        await pause(retryInMs);
        continue;
      } finally {
        current = null;
      }
      // Stopped: say goodbye properly (a failed LOGOUT just closes the socket).
      await client.logout().catch(() => closeQuietly(client));
    }
  })();

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        stopped = true;
        wake();
        const grace = setTimeout(() => {
          // Stuck in a command (a server that stopped answering): drop the connection; a mail
          // committed but not yet flagged is simply read again, and recognized, next time.
          if (current) closeQuietly(current);
        }, STOP_GRACE_MS);
        await loop;
        clearTimeout(grace);
      })();
      return stopping;
    },
  };
}

function closeQuietly(client: ImapFlow): void {
  try {
    client.close();
  } catch {
    // already closed: nothing to release
  }
}

/** What an imapflow error says, without anything that could hold the password. */
function describe(err: unknown): { message: string; code?: string; responseText?: string } {
  const e = err as { message?: string; code?: string; responseText?: string; serverResponseCode?: string };
  return {
    message: e.responseText ? `${e.message}: ${e.responseText}` : (e.message ?? String(err)),
    ...(e.code ? { code: e.code } : {}),
    ...(e.serverResponseCode ? { responseText: e.serverResponseCode } : {}),
  };
}
