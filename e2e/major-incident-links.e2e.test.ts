import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityProblems, addPerson, browserTestsOff, type Firebreak, PHONE, screenshot, signedIn, useFirebreak } from './harness.js';

/**
 * Issue 14, items 1 and 3: the desk picks reports in its queue and links them to an incident by
 * number, declares it a major incident (the Technical Manager takes it), unlinks one; the
 * requester of a child sees that it is a known problem; another person presses Me too.
 */
describe.skipIf(browserTestsOff)('linking reports to a major incident, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  let parent: { id: string; number: string };
  let ritas: { id: string; number: string };
  let sams: { id: string; number: string };

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    await addPerson(fb, 'dana@e2e.test', 'Dana Desk', 'agent');
    const tom = await addPerson(fb, 'tom@e2e.test', 'Tom Technical', 'manager');
    const team = await fb.api('POST', '/teams', { name: 'Network', managerId: tom.id, memberIds: [tom.id] });
    await fb.api('PUT', '/settings/incident-ownership', {
      local: { name: 'Customer Service Manager', holder: null },
      global: { name: 'Technical Manager', holder: { kind: 'team', teamId: team.id } },
    });
    const rita = await addPerson(fb, 'rita@e2e.test', 'Rita Requester', 'requester');
    const sam = await addPerson(fb, 'sam@e2e.test', 'Sam Requester', 'requester');
    await addPerson(fb, 'uma@e2e.test', 'Uma User', 'requester');
    parent = await fb.api('POST', '/tickets', { title: 'VPN concentrator down', description: 'Nobody can connect', impact: 2, urgency: 1 });
    ritas = await fb.api('POST', '/tickets', { title: 'VPN broken at home', requesterId: rita.id, channel: 'phone' });
    sams = await fb.api('POST', '/tickets', { title: 'Cannot reach VPN', requesterId: sam.id, channel: 'email' });
    await fb.api('POST', '/tickets', { title: 'Printer jams on floor 2' });
  });

  it('links reports from the queue, declares a major incident, unlinks one; the requester sees the known problem', async () => {
    const { page, errors, context } = await signedIn(browser, fb.url, 'dana@e2e.test');
    await page.goto(`${fb.url}/desk/queue/open`);
    await page.getByRole('button', { name: 'Select tickets…' }).click();
    await page.getByRole('checkbox', { name: `Select ${ritas.number}` }).check();
    await page.getByRole('checkbox', { name: `Select ${sams.number}` }).check();
    await page.getByText('2 tickets selected').waitFor();
    await page.getByRole('button', { name: 'Link to incident…' }).click();
    // A number that does not exist is named, and nothing is linked.
    await page.getByLabel('Link 2 selected tickets to incident').fill('INC9999999');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByText('no ticket has the number INC9999999').waitFor();
    await screenshot(page, 'major-queue-link-1440');
    await page.getByLabel('Link 2 selected tickets to incident').fill(parent.number);
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByRole('button', { name: 'Select tickets…' }).waitFor();
    const links = await fb.api('GET', `/tickets/${parent.id}/links`);
    expect(links.children.map((c: { number: string }) => c.number).sort()).toEqual([ritas.number, sams.number].sort());

    // The incident's page: its children and affected people; declare it major.
    await page.goto(`${fb.url}/desk/tickets/${parent.id}`);
    const card = page.locator('.major-panel');
    await card.getByText('Children: 2 (2 open)').waitFor();
    await card.getByTestId('affected-count').getByText('2 people').waitFor();
    await card.getByRole('button', { name: 'Declare major incident' }).click();
    await card.getByRole('button', { name: 'Declare major incident' }).click(); // the empty reason is refused by the browser
    await card.getByLabel('Why is it major?').fill('Eleven reports in five minutes, every site');
    await card.getByRole('button', { name: 'Declare major incident' }).click();
    await card.getByRole('heading', { name: 'Major incident' }).waitFor();
    await page.getByText('· major incident').waitFor();
    const declared = await fb.api('GET', `/tickets/${parent.id}`);
    expect(declared).toMatchObject({ scope: 'global', assignee: { name: 'Tom Technical' }, team: { name: 'Network' } });
    expect(declared.majorSince).not.toBeNull();
    await page.getByText('declared a major incident').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'major-incident-desk-1440');
    expect(await accessibilityProblems(page)).toEqual([]);

    // Sam's report turns out to be something else: unlink it.
    await card.getByRole('button', { name: `Unlink ${sams.number}` }).click();
    await card.getByText('Children: 1 (1 open)').waitFor();
    await card.getByTestId('affected-count').getByText('1 person').waitFor();
    await page.setViewportSize(PHONE);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'major-incident-desk-390');
    await context.close();
    expect(errors).toEqual([]);

    // Rita reads on her own ticket that it is a known problem, with a link to follow it.
    const rita = await signedIn(browser, fb.url, 'rita@e2e.test', { viewport: PHONE });
    await rita.page.goto(`${fb.url}/portal/tickets/${ritas.id}`);
    await rita.page.getByText(`A known problem: ${parent.number}`).waitFor();
    await rita.page
      .getByText(/This is a known problem/)
      .first()
      .waitFor();
    await screenshot(rita.page, 'major-child-portal-390');
    expect(await accessibilityProblems(rita.page)).toEqual([]);
    await rita.context.close();
    expect(rita.errors).toEqual([]);
  });

  it('lets someone affected press Me too on the known problem: counted and following, no new ticket', async () => {
    const uma = await signedIn(browser, fb.url, 'uma@e2e.test');
    const before = (await fb.api('GET', '/tickets?limit=200')).items.length;
    await uma.page.goto(`${fb.url}/portal`);
    const item = uma.page.locator('.known-issue').filter({ hasText: 'VPN concentrator down' });
    await item.getByRole('button', { name: /Me too/ }).click();
    await item.getByText(/Counted: you are one of 2 affected/).waitFor();
    await screenshot(uma.page, 'major-me-too-portal-1440');
    expect((await fb.api('GET', '/tickets?limit=200')).items.length).toBe(before);
    expect((await fb.api('GET', `/tickets/${parent.id}`)).affectedCount).toBe(2);
    await uma.context.close();
    expect(uma.errors).toEqual([]);
  });
});
