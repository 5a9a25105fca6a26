import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// Issue 12 item 14: Enter opens the highlighted ticket wherever focus is in the queue, and
// "← Queues" returns to the queue, with its filters, that the ticket was opened from.
describe.skipIf(browserTestsOff)('the queue by keyboard, and back to it', () => {
  let fb: Firebreak;
  let browser: Browser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    fb = await startFirebreak();
    browser = await launchBrowser();
    await fb.api('POST', '/users', { email: 'kim@e2e.test', name: 'Kim Keys', role: 'agent', password: PASSWORD });
    // Oldest first among equals: the two P1s are rows 1 and 2 of "All open" filtered to P1.
    ids.first = (await fb.api('POST', '/tickets', { title: 'Payroll export fails', impact: 1, urgency: 1 })).id;
    ids.second = (await fb.api('POST', '/tickets', { title: 'Checkout returns errors', impact: 1, urgency: 1 })).id;
    ids.low = (await fb.api('POST', '/tickets', { title: 'Mouse double-clicks', impact: 3, urgency: 3 })).id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fb?.stop();
  });

  it('opens the highlighted ticket with Enter, even with another row focused, and comes back to the filtered queue', async () => {
    const kim = await signedIn(browser, fb.url, 'kim@e2e.test');
    const { page } = kim;
    await page.goto(`${fb.url}/desk/queue/open`);
    await page.getByLabel('Priority').selectOption('1');
    await page.waitForURL((u) => u.searchParams.get('priority') === '1');
    await page.getByText('Mouse double-clicks').waitFor({ state: 'detached' });
    await page.getByText('2 tickets', { exact: false }).waitFor();
    const queueUrl = page.url();

    // Enter in a field handles itself: nothing opens from the search box.
    await page.getByLabel('Search this queue').press('Enter');
    expect(page.url()).toBe(queueUrl);

    // Tab onto the first row, move the highlight down with j: Enter opens the highlighted row.
    await page.locator(`[data-ticket-id="${ids.first}"]`).focus();
    await page.keyboard.press('j');
    await page.locator(`[data-ticket-id="${ids.second}"][aria-current="true"]`).waitFor();
    await screenshot(page, 'queue-keyboard-highlighted-1440');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === `/desk/tickets/${ids.second}`);
    await page.getByRole('heading', { name: 'Checkout returns errors' }).waitFor();

    // Back to the same queue, filter kept.
    await page.getByRole('link', { name: '← Queues' }).click();
    await page.waitForURL((u) => u.pathname === '/desk/queue/open' && u.searchParams.get('priority') === '1');
    expect(await page.getByLabel('Priority').inputValue()).toBe('1');
    await page.getByText('Payroll export fails').waitFor();
    expect(await page.getByText('Mouse double-clicks').count()).toBe(0);

    // With focus on the page (no field), j then Enter opens; a reload of the ticket keeps the way back.
    await page.locator('h1').click();
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === `/desk/tickets/${ids.first}`);
    await page.reload();
    await page.getByRole('link', { name: '← Queues' }).click();
    await page.waitForURL((u) => u.pathname === '/desk/queue/open' && u.searchParams.get('priority') === '1');
    await screenshot(page, 'queue-keyboard-back-1440');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(kim.errors).toEqual([]);
    await kim.context.close();
  }, 120_000);

  it('returns from a ticket opened in the search results to those results', async () => {
    const kim = await signedIn(browser, fb.url, 'kim@e2e.test');
    const { page } = kim;
    await page.goto(`${fb.url}/desk/search?q=Checkout`);
    await page.locator(`[data-ticket-id="${ids.second}"]`).waitFor();
    await page.locator('h1').click();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === `/desk/tickets/${ids.second}`);
    await page.getByRole('link', { name: '← Search results' }).click();
    await page.waitForURL((u) => u.pathname === '/desk/search' && u.searchParams.get('q') === 'Checkout');
    expect(kim.errors).toEqual([]);
    await kim.context.close();
  }, 120_000);
});
