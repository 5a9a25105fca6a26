import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../server/test/smtp-sink.js';
import {
  accessibilityProblems,
  browserTestsOff,
  expectFitsPhone,
  type Firebreak,
  launchBrowser,
  PHONE,
  screenshot,
  startFirebreak,
} from './harness.js';

/**
 * Subscribing to the status page by e-mail (issue 15 #3) in a real browser: the form from the
 * page's footer, a wrong address said in words, the confirmation mail through a real SMTP sink,
 * and the page behind its link with its button — at 1440 and 390 px, no script, axe clean.
 */
describe.skipIf(browserTestsOff)('subscribing to the status page, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    fb = await startFirebreak({ FIREBREAK_SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
    browser = await launchBrowser();
    await fb.api('PUT', '/status-page/settings', { name: 'Acme IT' });
    await fb.api('POST', '/services', { name: 'VPN', onStatusPage: true });
    await fb.api('POST', '/services', { name: 'Email & Calendar', onStatusPage: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fb?.stop();
    await sink?.stop();
  });

  for (const [label, viewport] of [
    ['1440', { width: 1440, height: 1000 }],
    ['390', PHONE],
  ] as const) {
    it(`subscribes from the page, says what is wrong with an address, and confirms by the mailed link (${label})`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const scripts: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.push(r.url());
      });
      await page.goto(`${fb.url}/status`);
      await page.getByRole('link', { name: 'by e-mail' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Get updates by e-mail');

      // A typo the browser lets through (it only wants an @): the server says what is wrong.
      const address = `ann.${label}@example.org`;
      await page.getByLabel('E-mail address').fill('ann@example');
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('Check the e-mail address: it is not an address we can send mail to');
      expect(await accessibilityProblems(page)).toEqual([]);
      if (viewport.width === PHONE.width) await expectFitsPhone(page);
      await screenshot(page, `status-subscribe-error-${label}`);

      await page.getByLabel('E-mail address').fill(address);
      await page.getByLabel('Only the ones I tick:').check();
      await page.getByLabel('VPN').check();
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
      expect(await page.getByText(`we sent a link to ${address}`).count()).toBe(1);
      await screenshot(page, `status-subscribe-sent-${label}`);

      const mail = await sink.waitFor(
        (m) =>
          m.subject === '[Acme IT] Confirm your subscription' && (m.text ?? '').includes('VPN') && JSON.stringify(m.to).includes(address),
        60_000,
      );
      const link = /Confirm it: (\S+)/.exec(mail.text ?? '')?.[1] as string;
      const { pathname, search } = new URL(link);
      await page.goto(`${fb.url}${pathname}${search}`);
      expect(await page.getByText(`Start sending status updates to ${address}?`).count()).toBe(1);
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByRole('button', { name: 'Confirm subscription' }).click();
      await page.getByRole('heading', { name: 'Subscription confirmed' }).waitFor();
      if (viewport.width === PHONE.width) await expectFitsPhone(page);
      await screenshot(page, `status-subscribe-confirmed-${label}`);
      expect(scripts).toEqual([]);
      await context.close();
    });
  }
});
