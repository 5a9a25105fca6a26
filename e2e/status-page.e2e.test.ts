import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * The public status page (issue 15): anyone, signed in or not, sees which services are down, the
 * desk's updates and 90 days of uptime — a plain page that runs no script, light and dark, at
 * 1440 and 390 px.
 */
describe.skipIf(browserTestsOff)('the public status page, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;

  beforeAll(async () => {
    fb = await startFirebreak();
    browser = await launchBrowser();
    await fb.api('PUT', '/status-page/settings', { name: 'Acme IT' });
    await fb.api('PUT', '/status-page/logo', {
      image: readFileSync(new URL('./fixtures/status-logo.png', import.meta.url)).toString('base64'),
    });
    const firewall = await fb.api('POST', '/services', { name: 'Firewall' });
    const vpn = await fb.api('POST', '/services', {
      name: 'VPN',
      onStatusPage: true,
      dependsOnIds: [firewall.id],
      description: 'Remote access to the office network',
    });
    const email = await fb.api('POST', '/services', { name: 'Email & Calendar', onStatusPage: true });
    await fb.api('POST', '/services', { name: 'Mail Transport', parentId: email.id, onStatusPage: true });
    await fb.api('POST', '/services', { name: 'Payroll', onStatusPage: true, dependsOnIds: [vpn.id] });
    await fb.api('POST', '/services', { name: 'Printing', onStatusPage: true });
    const outage = await fb.api('POST', '/tickets', {
      title: 'VPN connections failing for everyone',
      serviceId: vpn.id,
      impact: 1,
      urgency: 1,
      scope: 'global',
    });
    await fb.api('POST', `/tickets/${outage.id}/comments`, {
      body: 'We are investigating failed VPN connections. Payroll is affected because it is reached over the VPN. Next update by 10:30.',
      visibility: 'public',
    });
    // The time was wrong: corrected, without mailing subscribers again.
    const timeline = await fb.api('GET', `/tickets/${outage.id}/timeline`);
    const update = timeline.items.find((e: { type: string }) => e.type === 'comment');
    await fb.api('PUT', `/tickets/${outage.id}/public-updates/${update.id}`, {
      text: 'We are investigating failed VPN connections. Payroll is affected because it is reached over the VPN. Next update by 10:00.',
      revision: 1,
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fb?.stop();
  });

  for (const [label, viewport, scheme] of [
    ['1440', { width: 1440, height: 1000 }, 'light'],
    ['390', PHONE, 'light'],
    ['390-dark', PHONE, 'dark'],
  ] as const) {
    it(`shows the outage, the affected services and the desk's update without signing in (${label})`, async () => {
      const context = await browser.newContext({ viewport, colorScheme: scheme });
      const page = await context.newPage();
      const scripts: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.push(r.url());
      });
      const response = await page.goto(`${fb.url}/status`);
      expect(response?.status()).toBe(200);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Major System Outage');
      const vpn = page.locator('.component', { has: page.getByRole('heading', { name: 'VPN', exact: true }) });
      expect(await vpn.locator('.status').first().textContent()).toBe('Major outage');
      const printing = page.locator('.component', { has: page.getByRole('heading', { name: 'Printing', exact: true }) });
      expect(await printing.locator('.status').first().textContent()).toBe('Operational');
      expect(await page.getByText('Payroll is affected because it is reached over the VPN').count()).toBe(1);
      // The corrected words, marked edited; the organisation's logo, named for those who cannot see it.
      expect(await page.getByText('Next update by 10:00.').count()).toBe(1);
      expect(await page.getByText('10:30').count()).toBe(0);
      expect(await page.locator('.update-head .edited').first().textContent()).toMatch(/^edited /);
      const logo = page.getByRole('img', { name: 'Acme IT' });
      expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 200)).toBe(true);
      // One 90-day bar per service, an image that loads; the outage said in words beside it.
      const bars = page.locator('img.uptime');
      expect(await bars.count()).toBe(5);
      expect(await bars.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      expect(await vpn.locator('.uptime-words').textContent()).toMatch(/Not fully up on .*major outage/);
      expect(scripts).toEqual([]);
      expect(await accessibilityProblems(page)).toEqual([]);
      if (viewport.width === PHONE.width) await expectFitsPhone(page);
      await screenshot(page, `status-page-${label}`);
      await context.close();
    });
  }
});
