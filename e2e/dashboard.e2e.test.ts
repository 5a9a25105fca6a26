import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * Issue 16 in the browser: the desk's dashboard shows the figures of the work done, each tile
 * drills down to a queue of exactly the tickets behind it, and a ticket reported meanwhile shows
 * up without a reload. Screenshots at 1440 and 390 px.
 */
describe.skipIf(browserTestsOff)('the dashboard, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  let ritaId: string;
  let networkId: string;

  beforeAll(async () => {
    fb = await startFirebreak();
    browser = await launchBrowser();
    const mona = await fb.api('POST', '/users', { email: 'mona@e2e.test', name: 'Mona Manager', role: 'manager', password: PASSWORD });
    ritaId = (await fb.api('POST', '/users', { email: 'rita@e2e.test', name: 'Rita Requester', role: 'requester', password: PASSWORD })).id;
    networkId = (await fb.api('POST', '/teams', { name: 'Network', memberIds: [mona.id], managerId: mona.id })).id;
    const work = async (title: string, reopen: boolean) => {
      const t = await fb.api('POST', '/tickets', { title, requesterId: ritaId, impact: 2, urgency: 2 });
      await fb.api('PATCH', `/tickets/${t.id}`, { teamId: networkId, assigneeId: mona.id });
      await fb.api('POST', `/tickets/${t.id}/transitions`, { to: 'in_progress' });
      await fb.api('POST', `/tickets/${t.id}/transitions`, {
        to: 'resolved',
        resolutionCode: 'solved_permanently',
        resolutionNotes: 'Fixed',
      });
      if (reopen) await fb.api('POST', `/tickets/${t.id}/transitions`, { to: 'in_progress', reason: 'It came back' });
    };
    await work('VPN drops every hour', false);
    await work('Printer on floor 3 jams', false);
    await work('Wi-Fi slow in the lab', true);
    await fb.api('POST', `/tickets`, { title: 'Laptop fan is loud', requesterId: ritaId, impact: 3, urgency: 3 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fb?.stop();
  });

  it('shows the figures, drills down from a tile to its tickets, and refreshes on live events', async () => {
    const { page, context, errors } = await signedIn(browser, fb.url, 'mona@e2e.test');
    await page.goto(`${fb.url}/desk/queue/unassigned`);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const tile = (label: string) => page.locator('.kpi-tile', { has: page.getByRole('heading', { name: label }) });
    // Open: the reopened Wi-Fi ticket and the laptop one. Resolved: VPN and printer (Wi-Fi was reopened).
    await expect.poll(() => tile('Open now').locator('.kpi-figure').textContent()).toBe('2');
    await expect.poll(() => tile('Reopened').locator('.kpi-figure').textContent()).toBe('0%');
    await expect.poll(() => tile('First-contact resolution').locator('.kpi-figure').textContent()).toBe('100%');
    await expect.poll(() => tile('Time to resolve (median)').locator('.kpi-definition').textContent()).toMatch(/Resolved − opened/);
    // The chart library arrives with the dashboard only, and draws.
    await page.locator('.kpi-chart canvas').first().waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'dashboard-1440');

    // Drill down: "Open now" lists exactly the two open tickets.
    await tile('Open now').locator('.kpi-tile-link').click();
    await page.getByRole('heading', { name: 'Tickets behind a report' }).waitFor();
    await expect.poll(() => page.locator('.queue').getByText('Wi-Fi slow in the lab').count()).toBe(1);
    expect(await page.locator('.queue').getByText('Laptop fan is loud').count()).toBe(1);
    expect(await page.locator('.queue').getByText('VPN drops every hour').count()).toBe(0);
    await screenshot(page, 'dashboard-drill-down-1440');
    await page.goBack();

    // A ticket reported now shows on the dashboard without a reload (throttled: within ~10 s).
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await expect.poll(() => tile('Open now').locator('.kpi-figure').textContent()).toBe('2');
    await fb.api('POST', '/tickets', { title: 'Projector in room 2 is dark', requesterId: ritaId, impact: 3, urgency: 3 });
    await expect.poll(() => tile('Open now').locator('.kpi-figure').textContent(), { timeout: 25_000 }).toBe('3');

    // Filters go into the URL and into every figure: P1 only has nothing open.
    await page.getByLabel('Priority', { exact: true }).selectOption('1');
    await expect.poll(() => tile('Open now').locator('.kpi-figure').textContent()).toBe('0');
    expect(new URL(page.url()).searchParams.get('priority')).toBe('1');
    await page.getByLabel('Priority', { exact: true }).selectOption('');

    await page.setViewportSize(PHONE);
    await expect.poll(() => tile('Open now').locator('.kpi-figure').textContent()).toBe('3');
    await page.locator('.kpi-chart canvas').first().waitFor();
    await screenshot(page, 'dashboard-390');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('saves the filtered dashboard as a report e-mailed weekly, listed to open again', async () => {
    const { page, context, errors } = await signedIn(browser, fb.url, 'mona@e2e.test');
    await page.goto(`${fb.url}/desk/dashboard?period=7d&teamId=${networkId}`);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'E-mail it weekly' }).click();
    const form = page.getByRole('form', { name: 'E-mail this report' });
    await form.getByLabel('Name').fill('Network <weekly>');
    expect(await form.getByLabel(/Send to/).inputValue()).toBe('mona@e2e.test');
    await form.getByRole('button', { name: 'Save and e-mail' }).click();
    await page.getByText(/Saved “Network <weekly>”\. Every Monday, the first on/).waitFor();
    const saved = page.getByRole('region', { name: 'Your saved reports' });
    await saved.getByRole('link', { name: 'Network <weekly>' }).waitFor();
    expect(await saved.textContent()).toContain('e-mailed every Monday to mona@e2e.test');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'dashboard-saved-report-1440');
    // Opened from the list on a plain dashboard: its filters come back.
    await page.goto(`${fb.url}/desk/dashboard`);
    await page.getByRole('region', { name: 'Your saved reports' }).getByRole('link', { name: 'Network <weekly>' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('teamId')).toBe(networkId);
    expect(new URL(page.url()).searchParams.get('period')).toBe('7d');
    // A recipient outside the staff is refused, naming the field.
    await page.getByRole('button', { name: 'E-mail it weekly' }).click();
    await page
      .getByRole('form', { name: 'E-mail this report' })
      .getByLabel(/Send to/)
      .fill('someone@outside.example');
    await page.getByRole('button', { name: 'Save and e-mail' }).click();
    await page.getByText(/Firebreak staff only/).waitFor();
    await page.setViewportSize(PHONE);
    await screenshot(page, 'dashboard-saved-report-390');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('is refused to a requester with a reason, not a broken page', async () => {
    const { page, context } = await signedIn(browser, fb.url, 'rita@e2e.test');
    const response = await page.request.get(`${fb.url}/api/v1/reports/open-work`);
    expect(response.status()).toBe(403);
    await context.close();
  });
});
