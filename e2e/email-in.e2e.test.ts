import fs from 'node:fs';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../server/test/alertmanager.js';
import {
  accessibilityProblems,
  browserTestsOff,
  type Firebreak,
  launchBrowser,
  PASSWORD,
  screenshot,
  signedIn,
  startFirebreak,
} from './harness.js';

describe.skipIf(browserTestsOff)('mail received, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  let smtpPort: number;
  let agentId: string;

  beforeAll(async () => {
    smtpPort = await freePort();
    fb = await startFirebreak({ FIREBREAK_SMTP_LISTEN_PORT: String(smtpPort), FIREBREAK_SUPPORT_ADDRESS: 'support@e2e.test' });
    browser = await launchBrowser();
    await fb.api('POST', '/users', { email: 'boss@e2e.test', name: 'Ada Admin', role: 'admin', password: PASSWORD });
    agentId = (await fb.api('POST', '/users', { email: 'agent@e2e.test', name: 'Sam Agent', role: 'agent', password: PASSWORD })).id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fb?.stop();
  });

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
    await admin.page.waitForLoadState('networkidle');
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

  it('shows the admin a mail that could not go out (e-mail out is off), with why, and runs it again on request', async () => {
    const ticket = await fb.api('POST', '/tickets', { title: 'Badge reader at the side door' });
    await fb.api('PATCH', `/tickets/${ticket.id}`, { assigneeId: agentId }); // Sam is told by e-mail: parked, not sent

    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    await admin.page.goto(`${fb.url}/admin/failed-work`);
    const row = admin.page.getByRole('row', { name: /E-mail to agent@e2e\.test: .*Assigned to you: Badge reader at the side door/ });
    // The delivery job runs in the background within a second or two; refresh until it is listed.
    for (let i = 0; i < 30 && (await row.count()) === 0; i++) {
      await admin.page.getByRole('button', { name: 'Refresh' }).click();
      await admin.page.waitForTimeout(500);
    }
    await row.getByText('not sent: e-mail out is off (set FIREBREAK_SMTP_URL to send e-mail)').waitFor();
    expect(await row.getByRole('link', { name: ticket.number }).count()).toBe(1);
    await screenshot(admin.page, 'admin-failed-work');
    expect(await accessibilityProblems(admin.page)).toEqual([]);

    await row.getByRole('button', { name: /^Run again/ }).click();
    await admin.page.getByText('1 job runs again now').waitFor();
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 120_000);
});
