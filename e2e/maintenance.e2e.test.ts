import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  accessibilityProblems,
  addPerson,
  browserTestsOff,
  expectFitsPhone,
  type Firebreak,
  PHONE,
  screenshot,
  signedIn,
  useFirebreak,
} from './harness.js';

/**
 * Planned maintenance (issue 15 #7): a manager plans next week's mail maintenance in the desk and
 * the public sees it on the status page at 1440 and 390 px; a window that falls due is started by
 * the server's own timer and the page shows the service under maintenance.
 */
describe.skipIf(browserTestsOff)('planned maintenance, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  const ids: Record<string, string> = {};

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    await fb.api('PUT', '/status-page/settings', { name: 'Acme IT' });
    ids.mail = (await fb.api('POST', '/services', { name: 'Email & Calendar', onStatusPage: true })).id;
    ids.vpn = (await fb.api('POST', '/services', { name: 'VPN', onStatusPage: true })).id;
    await addPerson(fb, 'mia@e2e.test', 'Mia Manager', 'manager');
  });

  /** A `datetime-local` value in UTC (the browser below runs in UTC), `days` from now at 22:00. */
  const localIn = (days: number, hour: number) => {
    const d = new Date(Date.now() + days * 86_400_000);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString().slice(0, 16);
  };

  it('a manager plans a window in the desk; bad input is named by its field, and the plan shows on the status page', async () => {
    const { context, page, errors } = await signedIn(browser, fb.url, 'mia@e2e.test', { browserTimeZone: 'UTC' });
    await page.getByRole('link', { name: 'Maintenance', exact: true }).click();
    await page.getByRole('heading', { name: 'Plan maintenance' }).waitFor();
    await page.getByLabel('Title').fill('Mail server upgrade <b>v2</b>');
    await page.getByLabel('What happens, for the public').fill('Sending may be delayed by up to 10 minutes.');
    await page.getByLabel('Email & Calendar').check();
    // Ends before it starts: the server says so beside the field, and nothing is planned.
    await page.getByLabel('Starts').fill(localIn(7, 22));
    await page.getByLabel('Ends').fill(localIn(7, 20));
    await page.getByRole('button', { name: 'Plan maintenance' }).click();
    await page.locator('.field-error', { hasText: 'must be after the start' }).waitFor();
    expect((await fb.api('GET', '/maintenance')).items).toEqual([]);

    await page.getByLabel('Ends').fill(localIn(7, 23));
    await page.getByRole('button', { name: 'Plan maintenance' }).click();
    await page.getByText('Planned “Mail server upgrade <b>v2</b>”').waitFor();
    const item = page.locator('.maintenance-item', { hasText: 'Mail server upgrade' });
    expect(await item.getByText('Scheduled', { exact: true }).count()).toBe(1);
    expect(await item.getByText('Affects: Email & Calendar').count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'maintenance-desk-1440');

    // Changed: a longer window; subscribers are told (its news says so).
    await item.getByRole('button', { name: 'Change maintenance: Mail server upgrade <b>v2</b>' }).click();
    await item.getByLabel('Ends').fill(localIn(8, 1));
    await item.getByRole('button', { name: 'Save and tell subscribers' }).click();
    await item.getByRole('button', { name: 'Change maintenance: Mail server upgrade <b>v2</b>' }).waitFor();
    const [planned] = (await fb.api('GET', '/maintenance')).items;
    expect(planned.endsAt).toBe(`${localIn(8, 1)}:00.000Z`);
    expect(planned.updates.map((u: { news: string }) => u.news)).toEqual(['updated', 'scheduled']);
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const [label, viewport] of [
    ['1440', { width: 1440, height: 1000 }],
    ['390', PHONE],
  ] as const) {
    it(`the status page shows the scheduled maintenance, its words as text (${label})`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${fb.url}/status`);
      const section = page.locator('section', { has: page.getByRole('heading', { name: 'Scheduled maintenance' }) });
      await section.getByRole('link', { name: 'Mail server upgrade <b>v2</b>' }).waitFor();
      expect(await section.getByText('Affects: Email & Calendar').count()).toBe(1);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('All Systems Operational');
      expect(await page.locator('b', { hasText: 'v2' }).count()).toBe(0);
      expect(await accessibilityProblems(page)).toEqual([]);
      if (viewport.width === PHONE.width) await expectFitsPhone(page);
      await screenshot(page, `maintenance-status-${label}`);
      await context.close();
    });
  }

  it("a window that falls due is started by the server's timer: the service shows under maintenance (1440 and 390)", async () => {
    await fb.api('POST', '/maintenance', {
      title: 'VPN gateway patching',
      description: 'Connections may drop once.',
      componentIds: [ids.vpn],
      startsAt: new Date(Date.now() + 3_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      leadMinutes: 0,
    });
    // Ready when the timer has run: the Statuspage document says the window is active.
    await expect
      .poll(
        async () =>
          (await (await fetch(`${fb.url}/status/api/v2/scheduled-maintenances/active.json`)).json()).scheduled_maintenances.length,
        {
          timeout: 30_000,
          interval: 500,
        },
      )
      .toBe(1);
    for (const [label, viewport] of [
      ['1440', { width: 1440, height: 1000 }],
      ['390', PHONE],
    ] as const) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${fb.url}/status`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Service Under Maintenance');
      await page.getByRole('heading', { name: 'Maintenance in progress' }).waitFor();
      const vpn = page.locator('.component', { has: page.getByRole('heading', { name: 'VPN', exact: true }) });
      expect(await vpn.locator('.status').first().textContent()).toBe('Under maintenance');
      expect(await accessibilityProblems(page)).toEqual([]);
      if (viewport.width === PHONE.width) await expectFitsPhone(page);
      await screenshot(page, `maintenance-active-${label}`);
      await context.close();
    }
  });
});
