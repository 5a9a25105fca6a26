import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  accessibilityProblems,
  addPerson,
  browserTestsOff,
  type Firebreak,
  PASSWORD,
  screenshot,
  signedIn,
  useFirebreak,
} from './harness.js';

// Issue 12 item 14: Enter opens the highlighted ticket wherever focus is in the queue, and
// "← Queues" returns to the queue, with its filters, that the ticket was opened from.
describe.skipIf(browserTestsOff)('navigating: the queue by keyboard, back to it, and signing in', () => {
  let fb: Firebreak;
  let browser: Browser;
  const ids: Record<string, string> = {};

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    await addPerson(fb, 'kim@e2e.test', 'Kim Keys', 'agent');
    // Oldest first among equals: the two P1s are rows 1 and 2 of "All open" filtered to P1.
    ids.first = (await fb.api('POST', '/tickets', { title: 'Payroll export fails', impact: 1, urgency: 1 })).id;
    ids.second = (await fb.api('POST', '/tickets', { title: 'Checkout returns errors', impact: 1, urgency: 1 })).id;
    ids.low = (await fb.api('POST', '/tickets', { title: 'Mouse double-clicks', impact: 3, urgency: 3 })).id;
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
    // Focus follows the highlight, so a screen reader reads the row moved to.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-ticket-id'))).toBe(ids.second);
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
    // A ticket that does not exist (or is not theirs to see) is said in words, not "ticket not found".
    await page.goto(`${fb.url}/desk/tickets/00000000-0000-4000-8000-000000000000`);
    await page.getByText('This ticket does not exist or you may not see it.').waitFor();
    expect(kim.errors).toEqual([]);
    await kim.context.close();
  }, 120_000);

  it('asks a first visitor to sign in without saying a session ended; a lost session says so', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${fb.url}/desk/queue/open`);
    await page.waitForURL((u) => u.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/desk/queue/open');
    await page.getByRole('heading', { name: 'Sign in to Firebreak' }).waitFor();
    expect(await page.getByText('Your session ended').count()).toBe(0);
    await screenshot(page, 'sign-in-first-visit-1440');

    await page.getByLabel('E-mail').fill('kim@e2e.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/desk/queue/open');
    await page.getByRole('heading', { name: 'All open' }).waitFor();
    // The session is lost while in use: now the page says it ended.
    await context.clearCookies();
    await page.goto(`${fb.url}/desk/queue/mine`);
    await page.waitForURL((u) => u.pathname === '/sign-in');
    await page.getByText('Your session ended').waitFor();
    // Signing out on purpose is not a lost session.
    await page.getByLabel('E-mail').fill('kim@e2e.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/desk/queue/mine');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.pathname === '/sign-in');
    await page.getByRole('heading', { name: 'Sign in to Firebreak' }).waitFor();
    expect(await page.getByText('Your session ended').count()).toBe(0);
    await context.close();
  }, 120_000);

  it('asks both priority questions in the portal, names fields by their labels, and tells a requester the ticket waits for them', async () => {
    await addPerson(fb, 'rosa@e2e.test', 'Rosa Requester', 'requester');
    const rosa = await signedIn(browser, fb.url, 'rosa@e2e.test');
    const { page } = rosa;
    await page.goto(`${fb.url}/portal/report`);
    await page.getByLabel('What happened?').fill('Printer jams on every page');
    // Unanswered questions are asked, not silently answered with the lowest priority.
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByText('Please choose who is affected.').waitFor();
    await page.getByText('Please say whether you can work.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal/report');
    await page.getByLabel('My team').check();
    await page.getByLabel('With difficulty').check();
    // A refusal from the server names the field by its label, not "The body has an invalid field".
    await page.getByLabel('What happened?').fill('   ');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByRole('alert').filter({ hasText: 'Title: must not be empty' }).waitFor();
    expect(await page.getByText('The body has').count()).toBe(0);
    await screenshot(page, 'portal-report-words-1440');
    await page.getByLabel('What happened?').fill('Printer jams on every page');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL((u) => /^\/portal\/tickets\/[0-9a-f-]{36}$/.test(u.pathname));
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    const ticket = await fb.api('GET', `/tickets/${id}`);
    expect([ticket.impact, ticket.urgency]).toEqual([2, 2]);

    await fb.api('POST', `/tickets/${id}/transitions`, { to: 'in_progress' });
    await fb.api('POST', `/tickets/${id}/transitions`, { to: 'on_hold', onHoldReason: 'awaiting_requester' });
    await page.reload();
    await page.getByText('put this on hold: it is waiting for your reply').waitFor();
    expect(await page.getByText('on-hold reason from none').count()).toBe(0);
    await screenshot(page, 'portal-ticket-waiting-1440');

    expect(rosa.errors).toEqual([]);
    await rosa.context.close();
  }, 120_000);
});
