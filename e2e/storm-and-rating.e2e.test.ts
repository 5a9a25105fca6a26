import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../server/test/smtp-sink.js';
import {
  accessibilityProblems,
  browserTestsOff,
  type Firebreak,
  launchBrowser,
  PASSWORD,
  PHONE,
  screenshot,
  signedIn,
  startFirebreak,
} from './harness.js';

/**
 * Issue 14, items 2 and 10 in the browser: a storm of reports makes a proposal appear live on the
 * desk (no reload), declared with a click; a requester rates a closed ticket in the portal and the
 * desk sees the rating on the ticket. Screenshots at 1440 and 390 px.
 */
describe.skipIf(browserTestsOff)('storm proposals and satisfaction, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  let sink: SmtpSink;
  let vpnId: string;
  let ritaId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    fb = await startFirebreak({ FIREBREAK_SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
    browser = await launchBrowser();
    await fb.api('POST', '/users', { email: 'mona@e2e.test', name: 'Mona Manager', role: 'manager', password: PASSWORD });
    ritaId = (await fb.api('POST', '/users', { email: 'rita@e2e.test', name: 'Rita Requester', role: 'requester', password: PASSWORD })).id;
    const network = await fb.api('POST', '/services', { name: 'Network' });
    vpnId = (await fb.api('POST', '/services', { name: 'VPN', dependsOnIds: [network.id] })).id;
    await fb.api('POST', '/services', { name: 'Remote desktop', dependsOnIds: [vpnId] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fb?.stop();
    await sink?.stop();
  });

  it('shows a storm proposal live on the desk, and declares a major incident from it', async () => {
    const mona = await signedIn(browser, fb.url, 'mona@e2e.test');
    await mona.page.goto(`${fb.url}/desk/queue/unassigned`);
    await mona.page.getByRole('heading', { name: 'Unassigned' }).waitFor();
    expect(await mona.page.getByText('Possible major incident').count()).toBe(0);

    const titles = [
      'VPN is down',
      'Cannot connect to the VPN',
      'VPN broken since 9',
      'vpn not working from home',
      'VPN keeps disconnecting',
      'No VPN at all',
    ];
    for (const title of titles) await fb.api('POST', '/tickets', { title, serviceId: vpnId, requesterId: ritaId, impact: 3, urgency: 2 });

    // Live: the page was not reloaded.
    const card = mona.page.getByRole('article').filter({ hasText: 'Possible major incident' });
    await card
      .getByRole('heading', { name: /^6 reports on VPN (\(and services that depend on it\) )?in 1 minute — declare a major incident\?$/ })
      .waitFor();
    await screenshot(mona.page, 'desk-storm-proposal-1440');
    expect(await accessibilityProblems(mona.page)).toEqual([]);

    await mona.page.setViewportSize(PHONE);
    await card.waitFor();
    await screenshot(mona.page, 'desk-storm-proposal-390');
    await mona.page.setViewportSize({ width: 1440, height: 900 });

    // The bell of the desk's managers says so too.
    await mona.page
      .getByRole('button', { name: /notifications/i })
      .first()
      .click();
    await mona.page
      .getByText(/declare a major incident\?/)
      .first()
      .waitFor();
    await mona.page.keyboard.press('Escape');

    await card.getByRole('button', { name: 'Declare major incident' }).click();
    await mona.page.waitForURL(/\/desk\/tickets\//);
    await mona.page.getByText('Major incident: VPN').first().waitFor();
    expect(mona.errors).toEqual([]);
    await mona.context.close();
  });

  it('lets the requester rate a closed ticket in the portal, and shows the rating on the desk ticket', async () => {
    const ticket = await fb.api('POST', '/tickets', { title: 'Docking station has no power', requesterId: ritaId, impact: 3, urgency: 3 });
    const me = await fb.api('GET', '/me');
    await fb.api('PATCH', `/tickets/${ticket.id}`, { assigneeId: me.id });
    await fb.api('POST', `/tickets/${ticket.id}/transitions`, { to: 'in_progress' });
    await fb.api('POST', `/tickets/${ticket.id}/transitions`, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Replaced the power brick',
    });
    await fb.api('POST', `/tickets/${ticket.id}/transitions`, { to: 'closed' });

    // The desk has the ticket open before Rita rates: the rating must appear there without a reload.
    const mona = await signedIn(browser, fb.url, 'mona@e2e.test');
    await mona.page.goto(`${fb.url}/desk/tickets/${ticket.id}`);
    await mona.page.getByRole('heading', { name: 'Docking station has no power' }).waitFor();
    await mona.page.locator('.live-dot.live').waitFor();
    expect(await mona.page.getByRole('heading', { name: 'Requester’s rating' }).count()).toBe(0);

    const rita = await signedIn(browser, fb.url, 'rita@e2e.test');
    await rita.page.goto(`${fb.url}/portal/tickets/${ticket.id}`);
    await rita.page.getByRole('heading', { name: 'How did we do?' }).waitFor();
    await screenshot(rita.page, 'portal-rate-handling-1440');
    expect(await accessibilityProblems(rita.page)).toEqual([]);
    await rita.page.getByLabel(/^4\s*Good$/).check();
    await rita.page.getByLabel('Anything you would like to tell us? (optional)').fill('Fixed within the hour, thank you');
    await rita.page.getByRole('button', { name: 'Send my rating' }).click();
    await rita.page.getByRole('heading', { name: 'Your rating' }).waitFor();
    await rita.page.getByText('4 of 5 — Good').waitFor();
    await rita.page.setViewportSize(PHONE);
    await rita.page.getByRole('button', { name: 'Change my rating' }).click();
    await screenshot(rita.page, 'portal-rate-handling-390');
    expect(rita.errors).toEqual([]);
    await rita.context.close();

    // Live: Mona's page was not reloaded since before the rating.
    await mona.page.getByRole('heading', { name: 'Requester’s rating' }).waitFor();
    await mona.page.getByText('“Fixed within the hour, thank you”').waitFor();
    await screenshot(mona.page, 'desk-ticket-rating-1440');
    await mona.page.setViewportSize(PHONE);
    await screenshot(mona.page, 'desk-ticket-rating-390');
    expect(mona.errors).toEqual([]);
    await mona.context.close();
  });

  it('rates from the link in the "how did we do?" mail, without signing in', async () => {
    const ticket = await fb.api('POST', '/tickets', { title: 'Headset crackles on calls', requesterId: ritaId, impact: 3, urgency: 3 });
    const me = await fb.api('GET', '/me');
    await fb.api('PATCH', `/tickets/${ticket.id}`, { assigneeId: me.id });
    await fb.api('POST', `/tickets/${ticket.id}/transitions`, { to: 'in_progress' });
    await fb.api('POST', `/tickets/${ticket.id}/transitions`, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'New headset sent',
    });
    await fb.api('POST', `/tickets/${ticket.id}/transitions`, { to: 'closed' });
    await expect
      .poll(() => sink.messages.some((m) => m.subject?.includes('How did we do?') && m.subject.includes('Headset crackles')), {
        timeout: 60_000,
      })
      .toBe(true);
    const mail = sink.messages.find((m) => m.subject?.includes('How did we do?') && m.subject.includes('Headset crackles'));
    const link = /(\S+\/api\/v1\/satisfaction\/rate\?token=\S+)/.exec(mail?.text ?? '')?.[1] as string;
    const url = `${fb.url}${new URL(link).pathname}${new URL(link).search}`;

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('heading', { name: 'How did we do?' }).waitFor();
    await screenshot(page, 'mail-link-rate-1440');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'mail-link-rate-390');
    await page.getByLabel(/^5/).check();
    await page.getByLabel('Anything you would like to tell us? (optional)').fill('Arrived the next morning');
    await page.getByRole('button', { name: 'Send my rating' }).click();
    await page.getByText('You rated the handling 5 of 5 — Excellent.', { exact: false }).waitFor();
    await screenshot(page, 'mail-link-rated-390');
    await context.close();
    expect((await fb.api('GET', `/tickets/${ticket.id}/satisfaction`)).rating).toMatchObject({
      rating: 5,
      comment: 'Arrived the next morning',
    });
  }, 120_000);
});
