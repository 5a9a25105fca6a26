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

/** A `datetime-local` value and the calendar's week parameter for `days` days from now at `hour`, in the browser's zone (UTC here). */
function planned(days: number, hour: number): { local: string; day: string } {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hour, 0, 0, 0);
  const iso = d.toISOString();
  return { local: iso.slice(0, 16), day: iso.slice(0, 10) };
}

/**
 * Issue 17 item 4 in a real browser: an agent plans the certificate automation as a normal
 * change with the network manager as approver and submits it; the manager approves it with a
 * comment; it shows on the change calendar in its week, scheduled.
 */
describe.skipIf(browserTestsOff)('changes on the desk', () => {
  let fb: Firebreak;
  let browser: import('playwright-core').Browser;
  let problem: { id: string; number: string };

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    await addPerson(fb, 'pia@e2e.test', 'Pia Planner', 'agent');
    await addPerson(fb, 'nora@e2e.test', 'Nora Network-Manager', 'manager');
    const vpn = await fb.api('POST', '/services', { name: 'VPN' });
    problem = await fb.api('POST', '/problems', { title: 'Certificate renewal is manual', serviceId: vpn.id });
  });

  it('creates a change, has it approved, and shows it on the calendar', async () => {
    const start = planned(2, 20);
    const end = planned(2, 22);
    const pia = await signedIn(browser, fb.url, 'pia@e2e.test', { browserTimeZone: 'UTC' });
    const page = pia.page;
    // The problem's page plans the change that removes its cause: the form starts from it, linked.
    await page.goto(`${fb.url}/desk/tickets/${problem.id}`);
    await page.getByTestId('problem-panel').getByRole('link', { name: 'Plan a change to fix it' }).click();
    const form = page.getByRole('form', { name: 'New change' });
    await form.getByRole('link', { name: problem.number }).waitFor();
    expect(await form.getByLabel('Title').inputValue()).toBe('Fix: Certificate renewal is manual');
    // The service list loads on its own; the problem's service is chosen once its option exists.
    const service = form.getByLabel('Service');
    await service.locator('option', { hasText: 'VPN' }).waitFor({ state: 'attached' });
    expect(await service.locator('option:checked').innerText()).toBe('VPN');
    await form.getByLabel('Title').fill('Automate VPN certificate renewal');
    await form.getByLabel('Planned start').fill(start.local);
    await form.getByLabel('Planned end').fill(end.local);
    await form.getByLabel('Implementation plan').fill('Install the ACME client on both gateways and schedule renewal.');
    await form.getByLabel('Test plan').fill('Connect from the test laptop after a forced renewal.');
    await form.getByLabel('Backout plan').fill('Reinstall the manual certificate.');
    await form.getByLabel('Add an approver').fill('Nora');
    await form.getByRole('button', { name: /Nora Network-Manager/ }).click();
    await form.getByRole('list', { name: 'Approvers' }).getByText('Nora Network-Manager').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'change-new');
    await form.getByRole('button', { name: 'Save draft' }).click();

    const panel = page.getByTestId('change-panel');
    await panel.locator('.change-stage', { hasText: 'Draft' }).waitFor();
    const number = (await page.locator('.ticket-head .ticket-number').innerText()).trim();
    expect(number).toMatch(/^CHG\d{7}$/);
    const changeUrl = page.url();
    await panel.getByRole('link', { name: problem.number }).waitFor();
    await panel.getByRole('button', { name: 'Submit for approval' }).click();
    await panel.locator('.change-stage', { hasText: 'Awaiting approval' }).waitFor();
    // Pia is no approver: she sees no Approve button.
    expect(await panel.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    const nora = await signedIn(browser, fb.url, 'nora@e2e.test', { browserTimeZone: 'UTC' });
    await nora.page.goto(changeUrl);
    const hers = nora.page.getByTestId('change-panel');
    await hers.getByLabel('Your comment').fill('Go ahead: outside business hours.');
    await hers.getByRole('button', { name: 'Approve' }).click();
    await hers.locator('.change-stage', { hasText: 'Scheduled' }).waitFor();
    await hers.getByText('Go ahead: outside business hours.').waitFor();
    await nora.page.getByText('approved the change').first().waitFor();
    expect(await accessibilityProblems(nora.page)).toEqual([]);
    await screenshot(nora.page, 'change-page');
    await expectFitsPhone(nora.page);
    await nora.page.setViewportSize(PHONE);
    await screenshot(nora.page, 'change-page-phone');
    await nora.page.setViewportSize({ width: 1440, height: 900 });

    await page.goto(`${fb.url}/desk/changes?week=${start.day}`);
    const entry = page.locator('.change-entry', { hasText: number });
    await entry.getByText('Scheduled').waitFor();
    expect(await entry.innerText()).toContain('Automate VPN certificate renewal');
    // The browser's locale writes the time (20:00 or 08:00 PM).
    expect(await entry.innerText()).toMatch(/20:00|0?8:00\s?PM/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'change-calendar');
    await expectFitsPhone(page);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'change-calendar-phone');
    await page.setViewportSize({ width: 1440, height: 900 });
    await entry.getByRole('link').click();
    await page.getByTestId('change-panel').waitFor();

    expect(pia.errors).toEqual([]);
    expect(nora.errors).toEqual([]);
    await pia.context.close();
    await nora.context.close();
  }, 180_000);
});
