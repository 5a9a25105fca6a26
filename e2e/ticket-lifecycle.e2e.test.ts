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

/**
 * The whole life of a ticket in real browsers against the real server: a requester reports,
 * an agent sees it arrive live, works it (a work note the requester cannot see, a reply they
 * can), resolves it, and the requester confirms. Screenshots of each page land in e2e/artifacts.
 */
describe.skipIf(browserTestsOff)('a ticket from report to confirmed fix, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  const ids: Record<string, string> = {};

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    const agent = await addPerson(fb, 'agent@e2e.test', 'Alex Agent', 'agent');
    await addPerson(fb, 'rita@e2e.test', 'Rita Requester', 'requester');
    const team = await fb.api('POST', '/teams', { name: 'Service Desk', memberIds: [agent.id] });
    const vpn = await fb.api('POST', '/services', { name: 'VPN', ownerTeamId: team.id });
    await fb.api('POST', '/services', { name: 'Payroll', ownerTeamId: team.id });
    ids.vpn = vpn.id;
  });

  it('reports, shows up live for the agent, is worked, resolved and confirmed', async () => {
    const agent = await signedIn(browser, fb.url, 'agent@e2e.test');
    await agent.page.goto(`${fb.url}/desk/queue/unassigned`);
    await agent.page.getByText('Live', { exact: true }).waitFor();
    // The queue is empty before the report: waits for the words, fails if they never show.
    await agent.page.getByText('Nothing here').waitFor();

    // The requester reports through the portal's guided form.
    const rita = await signedIn(browser, fb.url, 'rita@e2e.test');
    await rita.page.waitForURL((u) => u.pathname === '/portal'); // requesters land on the portal
    await screenshot(rita.page, 'portal-home');
    await rita.page.getByRole('link', { name: 'Report a problem' }).first().click();
    await rita.page.getByLabel('Which service?').fill('vp');
    await rita.page.getByRole('button', { name: 'VPN', exact: true }).click();
    await rita.page.getByLabel('What happened?').fill('VPN drops every ten minutes');
    await rita.page.getByLabel('Details').fill('Since this morning, on the office Wi-Fi and at home.');
    await rita.page.getByLabel('My team').check();
    await rita.page.getByLabel('With difficulty').check();
    await rita.page.getByLabel('Attach files (optional)').setInputFiles({
      name: 'vpn-error.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Error 809: the network connection was interrupted'),
    });
    await screenshot(rita.page, 'portal-report');
    await rita.page.getByRole('button', { name: 'Send report' }).click();
    await rita.page.getByText(/Thanks — your ticket is INC\d{7}/).waitFor();
    await screenshot(rita.page, 'portal-ticket-new');
    const number = (await rita.page.locator('h1 .ticket-number').textContent())?.trim();
    expect(number).toMatch(/^INC\d{7}$/);

    await rita.page.getByRole('link', { name: 'vpn-error.txt' }).waitFor();

    // The agent's open queue shows it without a reload.
    const row = agent.page.locator('.queue-row', { hasText: 'VPN drops every ten minutes' });
    await row.waitFor();
    await screenshot(agent.page, 'desk-queue');
    expect(await accessibilityProblems(agent.page)).toEqual([]);
    await row.click();
    await agent.page.getByRole('heading', { name: 'VPN drops every ten minutes' }).waitFor();
    // Impact "my team" (2) × urgency "with difficulty" (2) is P3 on the default matrix.
    await agent.page.locator('.ticket-head').getByText('P3 Moderate').waitFor();
    // The file the requester attached is there, as a download.
    await agent.page.getByRole('link', { name: 'vpn-error.txt' }).waitFor();

    await agent.page.getByRole('button', { name: 'Assign to me' }).click();
    // The assignment has landed when the button goes (the header shows Alex's name all along).
    await agent.page.getByRole('button', { name: 'Assign to me' }).waitFor({ state: 'detached' });
    await agent.page.locator('.facts').getByText('Alex Agent', { exact: true }).waitFor();
    await agent.page.getByRole('button', { name: 'Start work' }).click();
    await agent.page.locator('.ticket-head').getByText('In progress').waitFor();

    // A work note (internal), then a reply (public): the choice is explicit.
    await agent.page.getByLabel('Work note (internal)').check();
    await agent.page.locator('#composer-body').fill('Gateway logs show idle timeouts at 600 s.');
    await agent.page.getByRole('button', { name: 'Add work note' }).click();
    await agent.page.locator('.timeline .work-note', { hasText: 'idle timeouts' }).waitFor();
    await agent.page.getByLabel('Reply (public)').check();
    await agent.page.locator('#composer-body').fill('We found the cause and are changing the gateway timeout now.');
    await agent.page.getByRole('button', { name: 'Send reply' }).click();
    await agent.page.locator('.timeline .comment', { hasText: 'changing the gateway timeout' }).waitFor();
    await screenshot(agent.page, 'desk-ticket');
    expect(await accessibilityProblems(agent.page)).toEqual([]);

    // The requester's page shows the reply live, and never the work note.
    await rita.page.locator('.timeline .comment', { hasText: 'changing the gateway timeout' }).waitFor();
    expect(await rita.page.getByText('idle timeouts').count()).toBe(0);
    await rita.page.reload();
    await rita.page.locator('.timeline .comment', { hasText: 'changing the gateway timeout' }).waitFor();
    expect(await rita.page.getByText('idle timeouts').count()).toBe(0);

    // Resolve with a code and notes.
    await agent.page.getByRole('button', { name: 'Resolve…' }).click();
    await agent.page.getByLabel('Resolution').selectOption('solved_permanently');
    await agent.page.getByLabel('What was done').fill('Raised the idle timeout to 8 hours on both gateways.');
    await agent.page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await agent.page.locator('.ticket-head').getByText('Resolved').waitFor();

    // The requester is asked to confirm, confirms, and the ticket is closed.
    await rita.page.getByText('Does it work for you?').waitFor();
    await screenshot(rita.page, 'portal-confirm');
    expect(await accessibilityProblems(rita.page)).toEqual([]);
    await rita.page.getByRole('button', { name: 'Yes, it works — close it' }).click();
    await rita.page.locator('.facts').getByText('Closed').waitFor();
    await agent.page.locator('.ticket-head').getByText('Closed').waitFor();

    const [ticket] = (await fb.api('GET', `/tickets?q=${number}`)).items;
    expect(ticket.state).toBe('closed');
    expect(agent.errors).toEqual([]);
    expect(rita.errors).toEqual([]);
    await agent.context.close();
    await rita.context.close();
  }, 120_000);

  it('keeps a second agent from silently overwriting a change made meanwhile', async () => {
    const ticket = await fb.api('POST', '/tickets', { title: 'Payroll export slow', serviceId: ids.vpn, impact: 3, urgency: 3 });
    const first = await signedIn(browser, fb.url, 'agent@e2e.test');
    // The link in a notification e-mail (/tickets/<id>) opens the desk's page for staff.
    await first.page.goto(`${fb.url}/tickets/${ticket.id}`);
    await first.page.waitForURL((u) => u.pathname === `/desk/tickets/${ticket.id}`);
    await first.page.getByRole('button', { name: 'Edit fields…' }).click();
    await first.page.getByLabel('Impact').selectOption('1');
    // Meanwhile the admin changes the ticket through the API.
    await fb.api('PATCH', `/tickets/${ticket.id}`, { urgency: 1 });
    await first.page.getByRole('button', { name: 'Save' }).click();
    await first.page.getByText('Someone else changed this ticket').waitFor();
    await first.page.getByText(/was changed by/).waitFor();
    await screenshot(first.page, 'desk-conflict');
    const after = await fb.api('GET', `/tickets/${ticket.id}`);
    expect(after.impact).toBe(3); // nothing was overwritten
    expect(after.urgency).toBe(1);
    await first.context.close();
  }, 60_000);

  it('saves a queue view on the server, so it is there in another browser', async () => {
    const first = await signedIn(browser, fb.url, 'agent@e2e.test');
    await first.page.goto(`${fb.url}/desk/queue/open?q=payroll`);
    await first.page.getByRole('button', { name: 'Save view…' }).click();
    await first.page.getByLabel('Name this view').fill('Payroll trouble');
    await first.page.getByRole('button', { name: 'Save view', exact: true }).click();
    await first.page.getByRole('link', { name: 'Payroll trouble' }).waitFor();
    await first.context.close();

    const second = await signedIn(browser, fb.url, 'agent@e2e.test');
    await second.page.goto(`${fb.url}/desk/queue/mine`);
    await second.page.getByRole('link', { name: 'Payroll trouble' }).click();
    await second.page.waitForURL((u) => u.pathname === '/desk/queue/open' && u.searchParams.get('q') === 'payroll');
    await second.page.locator('.queue-row', { hasText: 'Payroll export slow' }).waitFor();
    await second.context.close();
  }, 60_000);

  it('names a file it will not take as soon as it is chosen, on the report form and the ticket page, and sends the rest', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    for (const width of [390, 1440]) {
      const rita = await signedIn(browser, fb.url, 'rita@e2e.test', { viewport: { width, height: 900 } });
      await rita.page.goto(`${fb.url}/portal/report`);
      await rita.page.getByLabel('What happened?').fill(`Printer shows a login page (${width})`);
      await rita.page.getByLabel('Just me').check();
      await rita.page.getByLabel('Yes, I can work').check();
      await rita.page.getByLabel('Attach files (optional)').setInputFiles([
        { name: 'printer.html.', mimeType: 'text/html', buffer: Buffer.from('<html><script>alert(1)</script></html>') },
        { name: 'printer.png', mimeType: 'image/png', buffer: png },
      ]);
      await rita.page.getByText('printer.html is a web page; pages are not accepted. The other files will be sent.').waitFor();
      await screenshot(rita.page, `portal-report-refused-file-${width}`);
      expect(await accessibilityProblems(rita.page)).toEqual([]);
      expect(await rita.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await rita.page.getByRole('button', { name: 'Send report' }).click();
      await rita.page.getByText(/Thanks — your ticket is INC\d{7}/).waitFor();
      await rita.page.getByRole('link', { name: 'printer.png' }).waitFor();
      expect(await rita.page.getByRole('link', { name: /printer\.html/ }).count()).toBe(0);

      // On the ticket page: a macro document is refused before anything is sent.
      await rita.page
        .getByLabel('Attach files')
        .setInputFiles({ name: 'invoice.docm', mimeType: 'application/octet-stream', buffer: Buffer.from('PK') });
      await rita.page.getByText(/invoice\.docm is an Office document with macros/).waitFor();
      await screenshot(rita.page, `portal-ticket-refused-file-${width}`);
      expect(await accessibilityProblems(rita.page)).toEqual([]);
      expect(await rita.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await rita.context.close();
    }
  }, 90_000);

  it('shows a known problem on the chosen service before the report is sent', async () => {
    const outage = await fb.api('POST', '/tickets', {
      title: 'VPN gateway down in Berlin',
      serviceId: ids.vpn,
      impact: 1,
      urgency: 1,
      scope: 'global',
    });
    const rita = await signedIn(browser, fb.url, 'rita@e2e.test', { viewport: { width: 390, height: 844 } });
    await rita.page.goto(`${fb.url}/portal/report`);
    await rita.page.getByLabel('Which service?').fill('VPN');
    // Enter chooses the first match shown: wait for the list (the services load after the page),
    // as a person sees it before pressing Enter; pressing earlier chose nothing (a race seen once
    // sign-in got faster).
    await rita.page.getByRole('button', { name: 'VPN', exact: true }).waitFor();
    await rita.page.getByLabel('Which service?').press('Enter');
    await rita.page.getByText('This is already known — follow it instead').waitFor();
    await rita.page.getByText('VPN gateway down in Berlin').first().waitFor();
    await screenshot(rita.page, 'portal-known-issue-phone');
    expect(await accessibilityProblems(rita.page)).toEqual([]);
    // The page fits a phone: nothing wider than the screen.
    const overflow = await rita.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await rita.page.getByRole('button', { name: 'That’s my problem — I’ll follow it' }).click();
    await rita.page.getByText('Thanks — nothing new was reported').waitFor();
    // Following is recorded: the problem is listed as followed, and the desk's update reaches Rita.
    const followed = rita.page.getByRole('region', { name: 'Problems you follow' });
    await followed.getByText('VPN gateway down in Berlin').waitFor();
    await screenshot(rita.page, 'portal-home-phone');
    expect(await accessibilityProblems(rita.page)).toEqual([]);
    await fb.api('POST', `/tickets/${outage.id}/comments`, { body: 'Failover to Frankfurt is under way.', visibility: 'public' });
    const bell = rita.page.getByRole('button', { name: /Notifications, [1-9]\d* unread/ });
    await rita.page.reload();
    await bell.click();
    await rita.page
      .getByText(/An update on a problem you follow/)
      .first()
      .waitFor();
    await rita.page.keyboard.press('Escape');
    // Stopping is one click, and the list says so.
    await followed.getByRole('button', { name: `Stop following ${outage.number}` }).click();
    await followed.waitFor({ state: 'detached' });
    await rita.context.close();
  }, 60_000);

  it('never runs HTML that a person typed into a ticket', async () => {
    const rita = await signedIn(browser, fb.url, 'rita@e2e.test');
    let dialogs = 0;
    rita.page.on('dialog', async (d) => {
      dialogs += 1;
      await d.dismiss();
    });
    await rita.page.goto(`${fb.url}/portal/report`);
    await rita.page.getByLabel('What happened?').fill('<img src=x onerror=alert(1)>');
    await rita.page.getByLabel('Details').fill('<script>alert(2)</script><b>bold?</b>');
    // Both questions must be answered now (an unanswered one no longer silently means P5).
    await rita.page.getByLabel('Just me').check();
    await rita.page.getByLabel('Yes, I can work').check();
    await rita.page.getByRole('button', { name: 'Send report' }).click();
    await rita.page.getByText(/Thanks — your ticket is/).waitFor();
    // Shown as text, exactly as typed.
    await rita.page.getByText('<img src=x onerror=alert(1)>').first().waitFor();
    await rita.page.getByText('<script>alert(2)</script><b>bold?</b>').waitFor();
    const agent = await signedIn(browser, fb.url, 'agent@e2e.test');
    await agent.page.goto(`${fb.url}/desk/queue/open`);
    await agent.page.locator('.queue-row', { hasText: '<img src=x onerror=alert(1)>' }).click();
    await agent.page.getByRole('heading', { name: '<img src=x onerror=alert(1)>' }).waitFor();
    expect(await agent.page.locator('img[src="x"]').count()).toBe(0);
    expect(await rita.page.locator('img[src="x"], b').count()).toBe(0);
    expect(dialogs).toBe(0);
    await rita.context.close();
    await agent.context.close();
  }, 60_000);

  it('sends an expired session to sign in and back to the same page', async () => {
    const agent = await signedIn(browser, fb.url, 'agent@e2e.test');
    await agent.page.goto(`${fb.url}/desk/queue/open`);
    await agent.page.getByRole('heading', { name: 'All open' }).waitFor();
    await agent.context.clearCookies();
    await agent.page.goto(`${fb.url}/desk/queue/mine?q=vpn`);
    await agent.page.waitForURL((u) => u.pathname === '/sign-in');
    expect(new URL(agent.page.url()).searchParams.get('next')).toBe('/desk/queue/mine?q=vpn');
    await agent.page.getByText('Your session ended').waitFor();
    await screenshot(agent.page, 'sign-in');
    expect(await accessibilityProblems(agent.page)).toEqual([]);
    await agent.page.getByLabel('E-mail').fill('agent@e2e.test');
    await agent.page.getByLabel('Password').fill(PASSWORD);
    await agent.page.getByRole('button', { name: 'Sign in' }).click();
    await agent.page.waitForURL((u) => u.pathname === '/desk/queue/mine' && u.searchParams.get('q') === 'vpn');
    await agent.context.close();
  }, 60_000);
});
