import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { NO_DELIVERY } from '../../test/delivery.js';
import { reportTestTicket } from '../../test/factories.js';
import { type SmtpSink, startSmtpSink } from '../../test/smtp-sink.js';
import { FakeClock } from '../adapters/clock.js';
import { smtpMailer } from '../adapters/mailer.js';
import type { Database } from '../db/client.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../jobs/registry.js';
import { runDueJobs } from '../jobs/runner.js';
import { listDeliveries } from '../repositories/notifications.repository.js';
import { createUser, updateUserById } from './directory.service.js';
import { countUnsentMail, listFailedWork, sendUnsentMail } from './failed-work.service.js';
import { addComment } from './ticket-conversation.service.js';
import { transitionTicket, updateTicket } from './ticket-work.service.js';

let database: Database;
let clock: FakeClock;
let deps: { db: Database['db']; clock: FakeClock };
let sink: SmtpSink;
let mailer: ReturnType<typeof smtpMailer>;
let agent: { id: string; role: 'agent' };
let requester: { id: string; role: 'requester' };

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new FakeClock('2026-04-01T10:00:00Z');
  deps = { db: database.db, clock };
  sink = await startSmtpSink();
  mailer = smtpMailer(`smtp://127.0.0.1:${sink.port}`, 'Firebreak <desk@firebreak.test>');
  agent = {
    id: (await createUser(deps, { email: 'agent@firebreak.test', name: 'Agent', role: 'agent', timeZone: 'UTC' })).id,
    role: 'agent',
  };
  requester = {
    id: (await createUser(deps, { email: 'pat@example.test', name: 'Pat', role: 'requester', timeZone: 'UTC' })).id,
    role: 'requester',
  };
});
afterAll(async () => {
  mailer.close();
  await sink.stop();
  await database.close();
});

const registry = () =>
  buildJobRegistry({ mail: { ...NO_DELIVERY.mail, mailer, messageIdDomain: 'firebreak.test', publicUrl: 'https://help.example.test' } });
const sweep = () => runDueJobs(deps, registry(), WORKER_OPTIONS);

const ticketFor = (title: string) => reportTestTicket(deps, requester, title, {}, 'portal');

describe('e-mail notifications over real SMTP', () => {
  it("mails the requester the desk's reply, threaded by ticket, with the number in the subject and no HTML injection", async () => {
    const ticket = await ticketFor('Printer <b>jams</b>');
    await addComment(deps, agent, ticket.id, { body: 'Try tray 2 <script>alert(1)</script>', visibility: 'public' });
    await addComment(deps, agent, ticket.id, { body: 'Vendor contacted', visibility: 'internal' }); // a work note: nobody is mailed
    await sweep();
    expect(sink.messages).toHaveLength(0); // gathered for two minutes, in case more follows
    clock.advance(2 * 60_000);
    await sweep();
    expect(sink.messages).toHaveLength(1);
    const mail = sink.messages[0];
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('pat@example.test');
    expect(mail.subject).toBe(`[${ticket.number}] The service desk replied: Printer <b>jams</b>`);
    expect(mail.text).toContain('Try tray 2 <script>alert(1)</script>');
    expect(mail.html).toContain('Try tray 2 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.text).toContain(`https://help.example.test/tickets/${ticket.id}`);
    expect(mail.references).toContain(`<ticket-${ticket.id}@firebreak.test>`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    const log = await listDeliveries(database.db, ticket.id);
    expect(log.map((d) => [d.notification.reason, d.notification.sentAt !== null])).toEqual([['reply_from_desk', true]]);
  });

  it('gathers a burst of changes into one mail, and delivers it exactly once after the mail server was down', async () => {
    sink.messages.length = 0;
    await sink.stop();
    const ticket = await ticketFor('VPN drops');
    await transitionTicket(deps, agent, ticket.id, { to: 'in_progress' });
    for (const n of [1, 2, 3]) await addComment(deps, agent, ticket.id, { body: `Update ${n}`, visibility: 'public' });
    await transitionTicket(deps, agent, ticket.id, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'New VPN profile',
    });

    // The digest falls due after the window, and the server refuses connections: it waits for a retry.
    // (The sweep also runs the storm detector the new report asked for.)
    clock.advance(2 * 60_000);
    expect(await sweep()).toMatchObject({ claimed: 2, succeeded: 1, failed: 1 });
    const pending = await listDeliveries(database.db, ticket.id);
    expect(pending).toHaveLength(4);
    expect(pending.every((d) => d.notification.sentAt === null)).toBe(true);

    // Later it is back, on the same port.
    sink = await startSmtpSink(sink.port);
    for (let i = 0; i < 6; i++) {
      clock.advance(10 * 60_000);
      await sweep();
    }
    expect(sink.messages.map((m) => m.subject)).toEqual([
      `[${ticket.number}] Resolved: please confirm the fix or reopen: VPN drops (+3 more updates)`,
    ]);
    const text = sink.messages[0].text ?? '';
    expect(['Update 1', 'Update 2', 'Update 3', 'New VPN profile'].every((part) => text.includes(part))).toBe(true);
    expect((await listDeliveries(database.db, ticket.id)).every((d) => d.notification.sentAt !== null)).toBe(true);
  });

  it('with e-mail out off, keeps each mail as not sent (not failed work, not retried), and sends them when an admin asks once it is on', async () => {
    sink.messages.length = 0;
    const mailOff = () => runDueJobs(deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
    const colleague = await createUser(deps, { email: 'sam@firebreak.test', name: 'Sam', role: 'agent', timeZone: 'UTC' });
    const ticket = await ticketFor('Printer jams');
    await updateTicket(deps, agent, ticket.id, { assigneeId: colleague.id });
    await addComment(deps, agent, ticket.id, { body: 'Looking at it', visibility: 'public' });
    clock.advance(3 * 60_000); // past the requester's digest window
    // Two mails held, and the storm detector the new report asked for.
    expect(await mailOff()).toMatchObject({ claimed: 3, succeeded: 1, failed: 0, held: 2 });
    const log = await listDeliveries(database.db, ticket.id);
    const assigned = log.find((d) => d.notification.reason === 'assigned_to_you');
    expect(assigned).toMatchObject({ state: 'held', attempts: 1, lastError: 'not sent: e-mail out was off' });
    expect(log.every((d) => d.notification.sentAt === null)).toBe(true);
    clock.advance(24 * 60 * 60_000);
    expect((await mailOff()).claimed).toBe(0);
    expect(sink.messages).toHaveLength(0);

    // A normal mode, not a failure: Failed work does not list them; they are counted apart.
    const failed = await listFailedWork(database.db, { limit: 500 });
    expect(failed.items.filter((f) => f.ticketId === ticket.id)).toEqual([]);
    expect(await countUnsentMail(database.db)).toBe(2);
    // While e-mail out is still off, sending them is refused, and nothing moves.
    await expect(sendUnsentMail(deps, false)).rejects.toMatchObject({ code: 'unprocessable' });
    expect(await countUnsentMail(database.db)).toBe(2);

    // The admin sets the mail server and sends them: nothing kept is lost.
    expect(await sendUnsentMail(deps, true)).toBe(2);
    expect(await countUnsentMail(database.db)).toBe(0);
    expect(await sweep()).toMatchObject({ claimed: 2, succeeded: 2, failed: 0 });
    expect(sink.messages.map((m) => (m.to && 'text' in m.to ? m.to.text : '')).sort()).toEqual(['pat@example.test', 'sam@firebreak.test']);
    expect((await listDeliveries(database.db, ticket.id)).every((d) => d.notification.sentAt !== null)).toBe(true);
    // Asked again by mistake: nothing is held any more, and nothing is sent twice.
    expect(await sendUnsentMail(deps, true)).toBe(0);
    clock.advance(60_000);
    await sweep();
    expect(sink.messages).toHaveLength(2);
  });

  it('sends nothing by e-mail to someone who turned e-mail notifications off', async () => {
    sink.messages.length = 0;
    await updateUserById(deps, requester.id, requester.id, { emailNotifications: false });
    const ticket = await ticketFor('Keyboard sticky');
    await addComment(deps, agent, ticket.id, { body: 'Replacement on its way', visibility: 'public' });
    clock.advance(3 * 60_000);
    await sweep();
    expect(sink.messages).toHaveLength(0);
    expect(await listDeliveries(database.db, ticket.id)).toEqual([]);
    await updateUserById(deps, requester.id, requester.id, { emailNotifications: true });
  });
});
