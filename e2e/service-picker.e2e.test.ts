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
 * Which services requesters see (issue 12): the portal's picker offers only what admins marked
 * for requesters, in two steps (type, then choose — click or Enter — and the choice shows with
 * "Change"); a known problem on a hidden component still reaches the people it affects; admins
 * mark services in Admin › Services; the desk ticket says how often it was reassigned.
 */
describe.skipIf(browserTestsOff)('the service picker and what requesters see, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  const ids: Record<string, string> = {};

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    await addPerson(fb, 'rita@e2e.test', 'Rita Requester', 'requester');
    const desk = await fb.api('POST', '/teams', { name: 'Service Desk' });
    const apps = await fb.api('POST', '/teams', { name: 'Applications' });
    ids.desk = desk.id;
    ids.apps = apps.id;
    const email = await fb.api('POST', '/services', { name: 'Email & Calendar', ownerTeamId: apps.id });
    const transport = await fb.api('POST', '/services', { name: 'Mail Transport', parentId: email.id, visibleToRequesters: false });
    ids.vpn = (await fb.api('POST', '/services', { name: 'VPN', ownerTeamId: desk.id })).id;
    await fb.api('POST', '/services', { name: 'SQL Server Cluster', visibleToRequesters: false });
    // A known problem on the hidden component: the people using e-mail must still hear of it.
    await fb.api('POST', '/tickets', {
      title: 'Inbound mail delayed for everyone',
      serviceId: transport.id,
      impact: 1,
      urgency: 2,
      scope: 'global',
    });
  });

  it('offers requesters only visible services: type to filter, Enter or a click to choose, Change to choose again', async () => {
    const rita = await signedIn(browser, fb.url, 'rita@e2e.test');
    await rita.page.goto(`${fb.url}/portal/report`);
    const search = rita.page.getByLabel('Which service?');
    const matches = rita.page.getByRole('list', { name: /^Services/ });
    await matches.getByRole('button', { name: 'VPN', exact: true }).waitFor();
    const offered = await matches.getByRole('button').allTextContents();
    expect(offered).toEqual(['Email & Calendar', 'VPN', 'I don’t know / something else']);

    // Step one: typing filters.
    await search.fill('mail');
    await expect.poll(() => matches.getByRole('button').allTextContents()).toEqual(['Email & Calendar', 'I don’t know / something else']);
    await screenshot(rita.page, 'portal-service-picker-typing-1440');
    expect(await accessibilityProblems(rita.page)).toEqual([]);

    // Step two: Enter chooses the first match; the choice shows with Change, which has the focus.
    await search.press('Enter');
    await rita.page.getByTestId('chosen-service').getByText('Email & Calendar').waitFor();
    expect(await rita.page.locator('.service-picker').count()).toBe(0);
    const change = rita.page.getByRole('button', { name: /^Change the service/ });
    await expect.poll(() => change.evaluate((el) => el === document.activeElement)).toBe(true);
    // The known problem of the hidden component shows, with "Me too".
    await rita.page.getByText('This is already known — follow it instead').waitFor();
    await rita.page.getByText('Inbound mail delayed for everyone').first().waitFor();
    await screenshot(rita.page, 'portal-service-picker-chosen-1440');
    expect(await accessibilityProblems(rita.page)).toEqual([]);

    // Change: back to the search, focused; the keyboard reaches a match with ↓ and chooses it with Enter.
    await rita.page.keyboard.press('Enter');
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    await rita.page.keyboard.type('vp');
    await rita.page.keyboard.press('ArrowDown');
    await rita.page.keyboard.press('Enter');
    await rita.page.getByTestId('chosen-service').getByText('VPN').waitFor();
    await rita.page.getByText('This is already known — follow it instead').waitFor({ state: 'detached' });

    await rita.page.getByLabel('What happened?').fill('VPN drops every few minutes');
    await rita.page.getByLabel('Just me').check();
    await rita.page.getByLabel('With difficulty').check();
    await rita.page.getByRole('button', { name: 'Send report' }).click();
    await rita.page.getByText(/Thanks — your ticket is INC\d{7}/).waitFor();
    const id = new URL(rita.page.url()).pathname.split('/').at(-1) as string;
    expect((await fb.api('GET', `/tickets/${id}`)).service).toEqual({ id: ids.vpn, name: 'VPN' });
    expect(rita.errors).toEqual([]);
    await rita.context.close();
  }, 120_000);

  it('fits a phone in both steps, and lets a requester follow the known problem of a hidden component', async () => {
    const rita = await signedIn(browser, fb.url, 'rita@e2e.test', { viewport: PHONE });
    await rita.page.goto(`${fb.url}/portal/report`);
    await rita.page.getByLabel('Which service?').fill('e');
    await rita.page.getByRole('button', { name: 'Email & Calendar', exact: true }).waitFor();
    await expectFitsPhone(rita.page);
    await screenshot(rita.page, 'portal-service-picker-typing-390');
    await rita.page.getByRole('button', { name: 'Email & Calendar', exact: true }).click();
    await rita.page.getByTestId('chosen-service').getByText('Email & Calendar').waitFor();
    await rita.page.getByText('This is already known — follow it instead').waitFor();
    await expectFitsPhone(rita.page);
    await screenshot(rita.page, 'portal-service-picker-chosen-390');
    expect(await accessibilityProblems(rita.page)).toEqual([]);
    await rita.page.getByRole('button', { name: 'That’s my problem — I’ll follow it' }).click();
    await rita.page.getByText('Thanks — nothing new was reported').waitFor();
    await rita.page.getByRole('region', { name: 'Problems you follow' }).getByText('Inbound mail delayed for everyone').waitFor();
    expect(rita.errors).toEqual([]);
    await rita.context.close();
  }, 120_000);

  it('lets an admin mark what requesters see in Admin › Services', async () => {
    const admin = await signedIn(browser, fb.url, 'admin@e2e.test');
    await admin.page.goto(`${fb.url}/admin/services`);
    const row = (name: string) => admin.page.locator('tr', { has: admin.page.getByRole('cell', { name, exact: true }) });
    await row('Mail Transport').getByText('Staff only').waitFor();
    await row('VPN').getByText('Offered to requesters').waitFor();
    await row('VPN').getByRole('button', { name: /Edit/ }).click();
    const offered = admin.page.getByLabel('Requesters can choose this service when they report a problem or ask for something');
    expect(await offered.isChecked()).toBe(true);
    await offered.uncheck();
    await screenshot(admin.page, 'admin-service-visibility-1440');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    await admin.page.getByRole('button', { name: 'Save', exact: true }).click();
    await row('VPN').getByText('Staff only').waitFor();
    expect((await fb.api('GET', `/services/${ids.vpn}`)).visibleToRequesters).toBe(false);
    await screenshot(admin.page, 'admin-services-1440');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 120_000);

  it('shows on the desk ticket how often it was reassigned', async () => {
    const ticket = await fb.api('POST', '/tickets', { title: 'Shared mailbox missing', impact: 3, urgency: 3, teamId: ids.desk });
    await fb.api('PATCH', `/tickets/${ticket.id}`, { teamId: ids.apps });
    await fb.api('PATCH', `/tickets/${ticket.id}`, { teamId: ids.desk });
    const admin = await signedIn(browser, fb.url, 'admin@e2e.test');
    await admin.page.goto(`${fb.url}/desk/tickets/${ticket.id}`);
    await admin.page.getByTestId('reassignment-count').getByText('Reassigned 2 times').waitFor();
    await screenshot(admin.page, 'desk-ticket-reassigned-1440');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 120_000);
});
