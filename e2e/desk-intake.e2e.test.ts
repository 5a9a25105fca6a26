import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityProblems, addPerson, browserTestsOff, type Firebreak, screenshot, signedIn, useFirebreak } from './harness.js';

/** Nothing on the page is wider than the screen: no sideways scrolling. */
async function pageWidth(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((el) => Math.ceil(el.getBoundingClientRect().right));
}

/**
 * Issue 12, items 1 and 3: an agent logs a phone call for a caller found by name (and one added
 * on the spot), with a service and an assignee, and lands on the desk's ticket; the desk's one
 * search finds it by a partial number and by the requester's surname.
 */
describe.skipIf(browserTestsOff)('the desk logs a caller’s ticket and finds it again, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    const dana = await addPerson(fb, 'dana@e2e.test', 'Dana Desk', 'agent');
    const sam = await addPerson(fb, 'sam@e2e.test', 'Sam Support', 'agent');
    await fb.api('POST', '/teams', { name: 'Service Desk', memberIds: [dana.id, sam.id] });
    await fb.api('POST', '/services', { name: 'E-mail' });
    await fb.api('POST', '/users', { email: 'anna.becker@e2e.test', name: 'Anna Becker', role: 'requester' });
    await fb.api('POST', '/users', { email: 'bernd.beck@e2e.test', name: 'Bernd Beckmann', role: 'requester' });
    // Other tickets, so the search has something to leave out.
    for (const title of ['Printer jams on floor 2', 'VPN drops every hour', 'New starter needs a laptop']) {
      await fb.api('POST', '/tickets', { title });
    }
  });

  it('logs a phone call for a requester found by name, with a service and an assignee, and lands on the desk ticket', async () => {
    const { page, errors, context } = await signedIn(browser, fb.url, 'dana@e2e.test');
    await page.getByRole('link', { name: 'New ticket' }).click();
    await page.waitForURL((u) => u.pathname === '/desk/new');
    await page.getByRole('heading', { name: 'Log a ticket for someone' }).waitFor();

    // Sending with nothing filled in says what is missing, next to each field, and logs nothing.
    await page.getByRole('button', { name: 'Log ticket' }).click();
    await page.getByText('Choose who this ticket is for, or add them as a new requester.').waitFor();
    await page.getByText('Say in one line what the caller reports.').waitFor();

    await page.getByLabel('Requester').fill('Beck');
    await page.getByRole('button', { name: /Bernd Beckmann/ }).waitFor();
    // By keyboard: ↓ from the search box to the first match, Enter chooses it.
    await page.getByLabel('Requester').press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByText('anna.becker@e2e.test').waitFor();
    expect(await page.getByLabel('How did they contact us?').inputValue()).toBe('phone');
    await page.getByLabel('Summary').fill('Outlook asks for the password again and again');
    await page.getByLabel('Details').fill('Since this morning, after the laptop restarted. Webmail works.');
    await page.getByLabel('Service').selectOption({ label: 'E-mail' });
    await page.getByLabel('Impact').selectOption({ label: 'Low (one person)' });
    await page.getByLabel('Urgency').selectOption({ label: 'Medium (degraded)' });
    await page.getByLabel('Team').selectOption({ label: 'Service Desk' });
    await page.getByLabel('Assignee').selectOption({ label: 'Sam Support' });
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky top bar stays where it belongs in a full-page shot
    await screenshot(page, 'desk-new-ticket-1440');
    expect(await accessibilityProblems(page)).toEqual([]);

    // A double click logs one ticket (the form sends an Idempotency-Key).
    await page.getByRole('button', { name: 'Log ticket' }).dblclick();
    await page.waitForURL((u) => u.pathname.startsWith('/desk/tickets/'));
    await page.getByRole('heading', { name: 'Outlook asks for the password again and again' }).waitFor();
    await page.getByText(/Reported by Anna Becker via phone/).waitFor();
    const details = page.getByRole('complementary').filter({ hasText: 'Details' });
    await details.getByText('Sam Support').waitFor();
    await details.getByText('E-mail', { exact: true }).waitFor();
    const logged = (await fb.api('GET', '/tickets?q=Outlook&limit=10')).items;
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ channel: 'phone', requester: { name: 'Anna Becker' }, assignee: { name: 'Sam Support' } });
    await screenshot(page, 'desk-ticket-logged-1440');

    // The one search: `/` from anywhere, a part of the number, then the surname.
    const number: string = logged[0].number;
    const digits = number.replace(/^\D+0*/, '');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search all tickets');
    await page.keyboard.type(digits);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/desk/search');
    await page.getByRole('link', { name: /Outlook asks for the password/ }).waitFor();
    await page.getByLabel('Search all tickets').fill('Becker');
    await page.getByLabel('Search all tickets').press('Enter');
    await page.getByRole('heading', { name: 'Tickets matching “Becker”' }).waitFor();
    expect(await page.getByLabel('Number, words, or the requester’s name or e-mail').inputValue()).toBe('Becker');
    await page.getByRole('link', { name: /Outlook asks for the password/ }).waitFor();
    expect(await page.getByRole('link', { name: /Printer jams/ }).count()).toBe(0);
    await screenshot(page, 'desk-search-1440');
    expect(await accessibilityProblems(page)).toEqual([]);

    // The queues filter by requester too.
    await page.goto(`${fb.url}/desk/queue/open`);
    await page.getByLabel('Requester').fill('Becker');
    await page.getByRole('button', { name: /Anna Becker/ }).click();
    await page.getByRole('link', { name: /Outlook asks for the password/ }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: /VPN drops/ }).count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('requesterId')).toEqual(logged[0].requester.id);
    await screenshot(page, 'desk-queue-requester-filter-1440');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('on a phone: adds the caller as a new requester on the spot, lands on the ticket, and corrects the requester later', async () => {
    const { page, errors, context } = await signedIn(browser, fb.url, 'dana@e2e.test', { viewport: { width: 390, height: 844 } });
    await page.goto(`${fb.url}/desk/new`);
    await page.getByLabel('Requester').fill('Chris Newman');
    await page.getByText('Nobody matches “Chris Newman”.').waitFor();
    await page.getByRole('button', { name: '+ New requester' }).click();
    expect(await page.getByLabel('Their name').inputValue()).toBe('Chris Newman');
    await page.getByLabel('Their e-mail address').fill('not an address');
    await page.getByRole('button', { name: 'Add requester' }).click();
    await page.getByText('must be an e-mail address').waitFor();
    await page.getByLabel('Their e-mail address').fill('chris.newman@e2e.test');
    await page.getByRole('button', { name: 'Add requester' }).click();
    await page.getByText('chris.newman@e2e.test').waitFor();
    await page.getByLabel('How did they contact us?').selectOption({ label: 'Walk-in' });
    await page.getByLabel('Summary').fill('Badge does not open the car park barrier');
    await page.getByLabel('Impact').selectOption({ label: 'Low (one person)' });
    await page.getByLabel('Urgency').selectOption({ label: 'Low (can work)' });
    await page.getByLabel('Assignee').selectOption({ label: 'Dana Desk' });
    expect(await pageWidth(page, '.desk-new')).toBeLessThanOrEqual(390);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'desk-new-ticket-390');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Log ticket' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/desk/tickets/'));
    await page.getByText(/Reported by Chris Newman via walk-in/).waitFor();

    // Logged under the wrong person: staff correct it, and the timeline says who to whom.
    await page.getByRole('button', { name: 'Change the requester' }).click();
    await page.getByLabel('New requester').fill('Becker');
    await page.getByRole('button', { name: /Anna Becker/ }).click();
    await page.getByText('changed requester from Chris Newman to Anna Becker').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'desk-ticket-requester-changed-390');

    // The search box is on the phone too.
    await page.getByLabel('Search all tickets').fill('car park');
    await page.getByLabel('Search all tickets').press('Enter');
    await page.getByRole('link', { name: /Badge does not open/ }).waitFor();
    expect(await pageWidth(page, 'main')).toBeLessThanOrEqual(390);
    await screenshot(page, 'desk-search-390');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
