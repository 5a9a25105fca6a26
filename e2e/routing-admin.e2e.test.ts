import { describe, expect, it } from 'vitest';
import { accessibilityProblems, browserTestsOff, type Firebreak, PHONE, screenshot, signedIn, useFirebreak } from './harness.js';

/**
 * Issue 18, item 5 in the browser: an admin trains the learned router on the desk's resolved
 * tickets from Admin › Routing and reads its evaluation (accuracy, macro-F1, the majority
 * baseline, the most confused teams). Screenshots at 1440 and 390 px.
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
});
