import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that keeps what it receives, for delivery tests. */
export interface SmtpSink {
  port: number;
  messages: ParsedMail[];
  /**
   * Resolves with the first message (received so far or later) that matches, as it arrives: a
   * test waits on the delivery, not on a timer. `ceilingMs` only bounds a wait for one that
   * never comes, and the error names the subjects that did.
   */
  waitFor(match: (mail: ParsedMail) => boolean, ceilingMs: number): Promise<ParsedMail>;
  stop(): Promise<void>;
}

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const arrivals = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          messages.push(mail);
          callback(); // answers 250 to the sender
          for (const arrived of [...arrivals]) arrived();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    waitFor(match, ceilingMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return false;
          clearTimeout(timer);
          arrivals.delete(check);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          arrivals.delete(check);
          reject(new Error(`no matching mail within ${ceilingMs} ms; received: ${JSON.stringify(messages.map((m) => m.subject))}`));
        }, ceilingMs);
        if (!check()) arrivals.add(check);
      });
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
