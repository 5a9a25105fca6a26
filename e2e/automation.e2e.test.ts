import { describe, expect, it } from 'vitest';
import { accessibilityProblems, addPerson, browserTestsOff, type Firebreak, PHONE, screenshot, signedIn, useFirebreak } from './harness.js';
import { advanceTestClock, followTestClock, TEST_CLOCK_SETTINGS } from './test-clock.js';

/**
 * Issue 18 item 1 in a real browser: an admin writes a rule in Admin › Automation ("a ticket on
 * Payroll → team Payroll, reply 'We are on it'"), dry-runs it over the tickets there are (one
 * would match, the change shown by name, nothing written), also assigning fairly within the team,
 * saves it, turns it on; a requester
 * reports a Payroll problem in the portal and sees the desk's reply, and the desk sees the ticket
 * routed with the rule's work on its timeline. Then a rule telling more than 25 people is saved
 * only once the admin confirms the count, and an "idle for 1 business hour" rule written after a
 * ticket went quiet fires on it when the server's test clock moves an hour on.
 */
describe.skipIf(browserTestsOff)('automation rules', () => {
  let fb: Firebreak;
  let browser: import('playwright-core').Browser;
  let earlier: { id: string; number: string; version: number };

  useFirebreak(TEST_CLOCK_SETTINGS, async (started) => {
    ({ fb, browser } = started);
    const ann = await addPerson(fb, 'ann@e2e.test', 'Ann Agent', 'agent');
    const rob = await addPerson(fb, 'rob@e2e.test', 'Rob Requester', 'requester');
    const payroll = await fb.api('POST', '/services', { name: 'Payroll', visibleToRequesters: true });
    await fb.api('POST', '/services', { name: 'Email', visibleToRequesters: true });
    await fb.api('POST', '/teams', { name: 'Payroll team', memberIds: [ann.id] });
    await fb.api('POST', '/canned-replies', {
      name: 'We are on it',
      body: 'Hello {requester_name}, the payroll team has {ticket_number} and is on it.',
      visibility: 'public',
      scope: 'shared',
    });
    earlier = await fb.api('POST', '/tickets', { title: 'Payslip shows the wrong month', requesterId: rob.id, serviceId: payroll.id });
    await fb.api('POST', '/tickets', { title: 'Mailbox full', requesterId: rob.id });
  });

  it('writes a rule, dry-runs it, turns it on, and a new portal ticket is routed and answered', async () => {
    const admin = await signedIn(browser, fb.url, 'admin@e2e.test');
    const page = admin.page;
    await page.goto(`${fb.url}/admin/automation`);
    await page.getByText('No rules yet').waitFor();
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByLabel('Name').fill('Payroll first');
    // The pickers fill from the server: wait for the choices before choosing.
    const service = page.getByLabel('Service (or one of its components)');
    await service.locator('option', { hasText: 'Payroll' }).waitFor({ state: 'attached' });
    await service.selectOption({ label: 'Payroll' });
    const team = page.getByLabel('Assign to team');
    await team.locator('option', { hasText: 'Payroll team' }).waitFor({ state: 'attached' });
    await team.selectOption({ label: 'Payroll team' });
    const reply = page.getByLabel('Reply with (a shared canned reply)');
    await reply.locator('option', { hasText: 'We are on it' }).waitFor({ state: 'attached' });
    await reply.selectOption({ label: 'We are on it' });
    // Then a member of the team takes it, fairly (the team has no way of its own: in turn).
    await page.getByLabel('Then assign fairly within the team').selectOption({ label: "The team's own way (round robin if it has none)" });

    // A pattern that could run away is refused beside its field.
    await page.getByLabel('Title or description matches (a regular expression)').fill('(a+)+$');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByText(/could take too long on some texts/).waitFor();
    await page.getByLabel('Title or description matches (a regular expression)').fill('');

    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: 'Dry run: 1 of 2 tickets would match' }).waitFor();
    const row = page.locator('tr', { has: page.getByRole('cell', { name: earlier.number }) });
    await row.getByText('Team: none → Payroll team').waitFor();
    await row.getByText(`Reply “We are on it”: Hello Rob Requester, the payroll team has ${earlier.number} and is on it.`).waitFor();
    await row.getByText("Assign fairly within the team (the team's own way)").waitFor();
    await screenshot(page, 'automation-dry-run');
    expect(await accessibilityProblems(page)).toEqual([]);
    // The dry run wrote nothing.
    expect((await fb.api('GET', `/tickets/${earlier.id}`)).version).toBe(earlier.version);

    await page.getByRole('button', { name: 'Save rule' }).click();
    const turnOn = page.getByRole('button', { name: 'Turn on “Payroll first”' });
    await turnOn.waitFor();
    await turnOn.click();
    await page.getByRole('button', { name: 'Turn off “Payroll first”' }).waitFor();
    await screenshot(page, 'automation-rules');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(admin.errors).toEqual([]);

    // A requester reports a Payroll problem in the portal.
    const rob = await signedIn(browser, fb.url, 'rob@e2e.test');
    await rob.page.goto(`${fb.url}/portal/report`);
    await rob.page.getByLabel('Which service?').fill('Payroll');
    await rob.page.getByRole('button', { name: 'Payroll', exact: true }).click();
    await rob.page.getByTestId('chosen-service').getByText('Payroll').waitFor();
    await rob.page.getByLabel('What happened?').fill('My payslip for March is missing');
    await rob.page.getByLabel('Just me').check();
    await rob.page.getByLabel('With difficulty').check();
    await rob.page.getByRole('button', { name: 'Send report' }).click();
    const thanks = rob.page.getByText(/Thanks — your ticket is (INC\d{7})/);
    await thanks.waitFor();
    const number = /INC\d{7}/.exec((await thanks.textContent()) ?? '')?.[0];
    const id = new URL(rob.page.url()).pathname.split('/').at(-1) as string;
    await rob.page.getByText(`Hello Rob Requester, the payroll team has ${number} and is on it.`).waitFor();
    await screenshot(rob.page, 'automation-portal-reply');
    expect(rob.errors).toEqual([]);
    await rob.context.close();

    // The desk sees it routed, and whose work that was.
    await page.goto(`${fb.url}/desk/tickets/${id}`);
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('automation: Payroll first').first().waitFor();
    await timeline.getByText('assigned team Payroll team; replied with “We are on it”; assigned fairly within the team.').waitFor();
    const routed = await fb.api('GET', `/tickets/${id}`);
    expect(routed.team.name).toBe('Payroll team');
    expect(routed.assignee.name).toBe('Ann Agent');
    await screenshot(page, 'automation-desk-timeline');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 150_000);
  it('asks before saving a rule that tells many people, and an idle rule fires on a ticket already quiet', async () => {
    // A rule written through the API that notifies 26 people (the form offers one; it keeps the rest).
    const people = [];
    for (let i = 0; i < 26; i++)
      people.push(await fb.api('POST', '/users', { email: `floor${i}@e2e.test`, name: `Floor Warden ${i}`, role: 'requester' }));
    const crowd = await fb.api('POST', '/automation/rules', {
      name: 'Tell the whole floor',
      trigger: { on: 'created' },
      conditions: [{ op: 'contains', text: 'evacuation' }],
      actions: [{ type: 'notify', userIds: people.map((p) => p.id) }],
      confirmLargeAudience: true,
    });
    expect(crowd.name).toBe('Tell the whole floor');
    const quiet = await fb.api('POST', '/tickets', { title: 'Badge reader at the side door beeps' });

    const admin = await signedIn(browser, fb.url, 'admin@e2e.test');
    await followTestClock(admin.context);
    const page = admin.page;
    await page.goto(`${fb.url}/admin/automation`);
    await page.getByRole('button', { name: 'Edit “Tell the whole floor”' }).click();
    await page.getByLabel('Name').fill('Tell the whole floor at once');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('This rule would tell 26 people (notified or made followers) each time it runs.').waitFor();
    await screenshot(page, 'automation-large-audience');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'automation-large-audience-phone');
    await page.setViewportSize({ width: 1440, height: 900 });
    // Nothing saved until the admin says yes.
    expect((await fb.api('GET', `/automation/rules/${crowd.id}`)).name).toBe('Tell the whole floor');
    await page.getByRole('button', { name: 'Yes, tell them all and save' }).click();
    await page.getByRole('button', { name: 'Edit “Tell the whole floor at once”' }).waitFor();
    expect((await fb.api('GET', `/automation/rules/${crowd.id}`)).actions[0].userIds).toHaveLength(26);

    // An idle rule, written after the badge-reader ticket went quiet.
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByLabel('Name').fill('Quiet for an hour');
    await page
      .getByLabel('Trigger', { exact: true })
      .selectOption({ label: 'Nobody has replied or added a work note for some business hours' });
    await page.getByLabel('Business hours without a reply or work note').fill('1');
    const team = page.getByLabel('Assign to team');
    await team.locator('option', { hasText: 'Payroll team' }).waitFor({ state: 'attached' });
    await team.selectOption({ label: 'Payroll team' });
    await page.getByLabel('Turned on').check();
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('(1 business hour)', { exact: false }).waitFor();
    await screenshot(page, 'automation-idle-rule');

    // An hour on the server's clock (no SLA calendar: round the clock): the rule hands it over.
    await advanceTestClock(fb, 61, [admin.context]);
    await page.goto(`${fb.url}/desk/tickets/${quiet.id}`);
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('automation: Quiet for an hour').first().waitFor({ timeout: 30_000 });
    await timeline.getByText('assigned team Payroll team.').waitFor();
    expect((await fb.api('GET', `/tickets/${quiet.id}`)).team.name).toBe('Payroll team');
    await screenshot(page, 'automation-idle-fired');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 150_000);
});
