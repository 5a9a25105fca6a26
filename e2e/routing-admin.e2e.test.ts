import { describe, expect, it } from 'vitest';
import { accessibilityProblems, browserTestsOff, type Firebreak, PHONE, screenshot, signedIn, useFirebreak } from './harness.js';

/**
 * Issue 18, item 5 in the browser: an admin trains the learned router on the desk's resolved
 * tickets from Admin › Routing and reads its evaluation (accuracy, macro-F1, the majority
 * baseline, the most confused teams); then the router at work: a suggestion on a new ticket taken
 * with one click, automatic routing above the admin's threshold, and the page's count of both.
 * Screenshots at 1440 and 390 px.
 */
const NETWORK = ['vpn', 'wifi', 'router', 'latency', 'dns', 'switch', 'firewall', 'proxy'];
const IDENTITY = ['password', 'login', 'account', 'locked', 'mfa', 'reset', 'sso', 'token'];
const PRINTING = ['printer', 'toner', 'paper', 'jam', 'scanner', 'tray', 'queue', 'driver'];

describe.skipIf(browserTestsOff)('Admin › Routing, in the browser', () => {
  let fb: Firebreak;
  let browser: Parameters<Parameters<typeof useFirebreak>[1]>[0]['browser'];

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    const teams: [string, string[]][] = [];
    for (const [name, words] of [
      ['Network', NETWORK],
      ['Identity', IDENTITY],
      ['Printing', PRINTING],
    ] as const) {
      teams.push([(await fb.api('POST', '/teams', { name, memberIds: [], managerId: null })).id, words]);
    }
    for (const [teamId, words] of teams) {
      for (let i = 0; i < 12; i++) {
        const ticket = await fb.api('POST', '/tickets', {
          title: `${words[i % 8]} trouble with the ${words[(i + 3) % 8]}`,
          description: `Since this morning the ${words[(i + 5) % 8]} does not work`,
          impact: 3,
          urgency: 3,
          teamId,
        });
        await fb.api('POST', `/tickets/${ticket.id}/transitions`, {
          to: 'resolved',
          resolutionCode: 'solved_permanently',
          resolutionNotes: 'Fixed',
        });
      }
    }
  });

  it('trains the router with a click and shows its evaluation beside the baseline', async () => {
    const { page, context, errors } = await signedIn(browser, fb.url, 'admin@e2e.test');
    await page.goto(`${fb.url}/admin/routing`);
    await page.getByRole('heading', { name: 'Routing', level: 1 }).waitFor();
    await page.getByText('No model yet').waitFor();
    await page.getByRole('button', { name: 'Train now' }).click();
    await page.getByRole('heading', { name: 'Teams' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByText('Accuracy').count()).toBeGreaterThan(0);
    expect(await page.getByText('Always the biggest team').count()).toBe(1);
    await screenshot(page, 'routing-admin-1440');
    expect(await page.getByText(/Learned from \d+ resolved tickets over 3 teams/).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'routing-admin-390');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('suggests a team on a new ticket, taken with one click; above the threshold it routes by itself; the page counts both', async () => {
    const { page, context, errors } = await signedIn(browser, fb.url, 'admin@e2e.test');
    // Auto-routing is off: a ticket without a team only gets a suggestion.
    const suggested = await fb.api('POST', '/tickets', {
      title: 'Account locked after a password reset',
      description: 'mfa fails',
      impact: 3,
      urgency: 3,
    });
    expect(suggested.team).toBeNull();
    await page.goto(`${fb.url}/desk/tickets/${suggested.id}`);
    const card = page.getByTestId('routing-suggestion');
    await card.getByText(/The learned router suggests Identity — \d+% confident/).waitFor();
    await screenshot(page, 'routing-suggestion-1440');
    await card.getByRole('button', { name: 'Send to Identity' }).click();
    await card.waitFor({ state: 'detached' });
    await expect.poll(async () => (await fb.api('GET', `/tickets/${suggested.id}`)).team?.name).toBe('Identity');

    await page.goto(`${fb.url}/admin/routing`);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('Route new tickets without a team automatically when the router is confident enough').check();
    await page.getByLabel('Confident enough: at least (%)').fill('60');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const routed = await fb.api('POST', '/tickets', {
      title: 'Cannot login, token and sso broken',
      description: 'password locked',
      impact: 3,
      urgency: 3,
    });
    expect(routed.team?.name).toBe('Identity');
    await page.goto(`${fb.url}/desk/tickets/${routed.id}`);
    await page.getByText(/reported this; routed by the learned router, \d+%/).waitFor();

    await page.goto(`${fb.url}/admin/routing`);
    const inUse = page.getByRole('region', { name: 'In use, the last 30 days' });
    await inUse.waitFor();
    // Teams first, categories beside them (this desk has no categories: nothing decided there).
    const teams = inUse.getByLabel('Team decisions');
    await expect.poll(() => teams.getByText('Routed by the router').locator('xpath=..').textContent()).toContain('1');
    expect(await teams.getByText('…suggestion taken').locator('xpath=..').textContent()).toContain('1 (100 %)');
    expect(
      await inUse.getByLabel('Category decisions').getByText('Category set by the router').locator('xpath=..').textContent(),
    ).toContain('0');
    await screenshot(page, 'routing-in-use-1440');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'routing-in-use-390');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
