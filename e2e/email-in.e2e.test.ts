import fs from 'node:fs';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../server/test/alertmanager.js';
import { startSmtpSink } from '../server/test/smtp-sink.js';
import {
  accessibilityProblems,
  addPerson,
  browserTestsOff,
  type Firebreak,
  screenshot,
  settled,
  signedIn,
  useFirebreak,
} from './harness.js';

describe.skipIf(browserTestsOff)('mail received, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  let smtpPort: number;
  let agentId: string;

  beforeAll(async () => {
    smtpPort = await freePort();
  });
  useFirebreak(
    () => ({ FIREBREAK_SMTP_LISTEN_PORT: String(smtpPort), FIREBREAK_SUPPORT_ADDRESS: 'support@e2e.test' }),
    async (started) => {
      ({ fb, browser } = started);
      await addPerson(fb, 'boss@e2e.test', 'Ada Admin', 'admin');
      agentId = (await addPerson(fb, 'agent@e2e.test', 'Sam Agent', 'agent')).id;
    },
  );

  /** A real SMTP conversation with Firebreak's listener. */
  async function mail(message: SendMailOptions) {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ to: 'support@e2e.test', ...message });
    } finally {
      transport.close();
    }
  }

  it('shows the admin every mail received and what it did; the ticket it made offers the original message', async () => {
    await mail({
      from: 'Pat Requester <pat@example.test>',
      subject: 'Scanner on floor 2 is offline',
      text: 'Since this morning the scanner shows "network error".',
    });
    await mail({
      from: 'pat@example.test',
      subject: 'Out of office: Scanner on floor 2 is offline',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });

    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    await admin.page.goto(`${fb.url}/admin/email`);
    const created = admin.page.getByRole('row', { name: /Scanner on floor 2 is offline.*New ticket/ });
    const ignored = admin.page.getByRole('row', { name: /Out of office/ });
    await created.waitFor();
    // The auto-reply is kept and explained, and made nothing.
    await ignored.getByText('Automatic mail — Auto-Submitted: auto-replied').waitFor();
    expect(await ignored.getByText('Ignored', { exact: true }).count()).toBe(1);
    expect(await ignored.getByRole('link', { name: /^INC\d{7}$/ }).count()).toBe(0);
    await settled(admin.page);
    await screenshot(admin.page, 'admin-email');
    expect(await accessibilityProblems(admin.page)).toEqual([]);

    // The ignored mail's original, exactly as it arrived.
    const [ignoredDownload] = await Promise.all([
      admin.page.waitForEvent('download'),
      ignored.getByRole('link', { name: /\.eml/ }).click(),
    ]);
    expect(fs.readFileSync((await ignoredDownload.path()) as string, 'utf8')).toMatch(/^Auto-Submitted: auto-replied/m);

    // The new ticket, named by its number, shows the mail it came from and offers the original.
    await created.getByRole('link', { name: /^INC\d{7}$/ }).click();
    await admin.page.getByRole('heading', { name: 'Scanner on floor 2 is offline' }).waitFor();
    const emails = admin.page.getByRole('region', { name: 'E-mails (1)' });
    await emails.getByText('pat@example.test').waitFor();
    const [download] = await Promise.all([
      admin.page.waitForEvent('download'),
      emails.getByRole('link', { name: /Original message \(\.eml\)/ }).click(),
    ]);
    const original = fs.readFileSync((await download.path()) as string, 'utf8');
    expect(original).toMatch(/^Subject: Scanner on floor 2 is offline/m);
    expect(original).toContain('network error');
    await admin.page.evaluate('window.scrollTo(0, 0)'); // the download link scrolled; the picture starts at the top
    await screenshot(admin.page, 'desk-ticket-email');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    // Agents are refused the admin's list of everything received.
    const agent = await signedIn(browser, fb.url, 'agent@e2e.test');
    await agent.page.goto(`${fb.url}/admin/email`);
    await agent.page.getByText('Only admins can change the set-up').waitFor();
    await agent.context.close();
  }, 120_000);

  it('treats e-mail out off as a way to run, not a failure: Failed work lists nothing and says in one line how many mails were not sent', async () => {
    const ticket = await fb.api('POST', '/tickets', { title: 'Badge reader at the side door' });
    await fb.api('PATCH', `/tickets/${ticket.id}`, { assigneeId: agentId }); // Sam is told by e-mail: kept, not sent
    // The delivery job runs in the background within a second or two. Nothing announces a mail
    // kept unsent (no timeline event, no live announcement, no log line): the API is the only
    // place to see it, so ask it until it says so (vitest's poll, bounded by its ceiling).
    await expect.poll(async () => (await fb.api('GET', '/jobs/unsent-mail')).count, { timeout: 60_000 }).toBeGreaterThan(0);
    const log = await fb.api('GET', `/tickets/${ticket.id}/notifications`);
    // biome-ignore lint/suspicious/noExplicitAny: the delivery log, read loosely
    const mail = log.items.find((d: any) => d.channel === 'email' && d.address === 'agent@e2e.test');
    expect(mail).toMatchObject({ state: 'not_sent', lastError: 'not sent: e-mail out was off' });
    const { count } = await fb.api('GET', '/jobs/unsent-mail');

    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    await admin.page.goto(`${fb.url}/admin/failed-work`);
    await admin.page.getByText(`E-mail out is off, so ${count === 1 ? '1 mail was' : `${count} mails were`} not sent`).waitFor();
    await admin.page.getByText('Nothing failed for good').waitFor();
    expect(await admin.page.getByRole('button', { name: /^Send (it|them) now$/ }).count()).toBe(0);
    await screenshot(admin.page, 'admin-failed-work');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    // The admin turns e-mail out on (a restart with FIREBREAK_SMTP_URL): the line now offers to send them, once.
    const sink = await startSmtpSink();
    try {
      await fb.kill();
      await fb.start({ FIREBREAK_SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
      const again = await signedIn(browser, fb.url, 'boss@e2e.test');
      await again.page.goto(`${fb.url}/admin/failed-work`);
      await again.page.getByText(`${count === 1 ? '1 mail was' : `${count} mails were`} not sent because e-mail out was off`).waitFor();
      await screenshot(again.page, 'admin-failed-work-send-unsent');
      expect(await accessibilityProblems(again.page)).toEqual([]);
      await again.page.getByRole('button', { name: count === 1 ? 'Send it now' : 'Send them now' }).click();
      await again.page.getByText(count === 1 ? '1 mail is being sent' : `${count} mails are being sent`).waitFor();
      await sink.waitFor((m) => m.subject?.includes('Badge reader at the side door') === true, 60_000);
      // The sink has the mail before the server records it as sent (it does so once the sink has
      // answered), and nothing announces that record: ask the delivery log until it says so.
      await expect
        .poll(
          async () => {
            const log = await fb.api('GET', `/tickets/${ticket.id}/notifications`);
            // biome-ignore lint/suspicious/noExplicitAny: the delivery log, read loosely
            return log.items.find((d: any) => d.channel === 'email' && d.address === 'agent@e2e.test')?.state;
          },
          { timeout: 60_000 },
        )
        .toBe('sent');
      expect((await fb.api('GET', '/jobs/unsent-mail')).count).toBe(0);
      expect(again.errors).toEqual([]);
      await again.context.close();
    } finally {
      await sink.stop();
    }
  }, 300_000);
});
