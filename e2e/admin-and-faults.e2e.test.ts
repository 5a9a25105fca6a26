import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  accessibilityProblems,
  addPerson,
  browserTestsOff,
  type Firebreak,
  screenshot,
  settled,
  signedIn,
  useFirebreak,
} from './harness.js';

describe.skipIf(browserTestsOff)('admin pages and a server that goes away, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    await addPerson(fb, 'boss@e2e.test', 'Ada Admin', 'admin');
    await addPerson(fb, 'agent@e2e.test', 'Alex Agent', 'agent');
    await addPerson(fb, 'rita@e2e.test', 'Rita Requester', 'requester');
  });

  it('lets an admin change the priority matrix, and the next report gets the new priority', async () => {
    const admin = await signedIn(browser, fb.url, 'boss@e2e.test', { colorScheme: 'dark' });
    await admin.page.goto(`${fb.url}/admin/priority-matrix`);
    // Impact "just me" (3) × urgency "cannot work" (1) is P3 by default; make it P2.
    const cell = admin.page.getByLabel('Priority for impact Low (one person) and urgency High (cannot work)');
    expect(await cell.inputValue()).toBe('3');
    await cell.selectOption('2');
    await admin.page.getByRole('button', { name: 'Save matrix' }).click();
    await admin.page.getByText('Saved. New tickets get their priority from this matrix.').waitFor();
    await screenshot(admin.page, 'admin-priority-matrix-dark');
    expect(await accessibilityProblems(admin.page)).toEqual([]);

    const rita = await signedIn(browser, fb.url, 'rita@e2e.test');
    await rita.page.goto(`${fb.url}/portal/report`);
    await rita.page.getByLabel('What happened?').fill('Cannot open the payroll app at all');
    await rita.page.getByLabel('Just me').check();
    await rita.page.getByLabel('Not at all').check();
    await rita.page.getByRole('button', { name: 'Send report' }).click();
    await rita.page.locator('.facts').getByText('P2 High').waitFor();
    await admin.context.close();
    await rita.context.close();
  }, 60_000);

  it('shows the other admin pages without accessibility problems, and refuses them to agents', async () => {
    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    for (const section of ['users', 'teams', 'services', 'categories', 'tokens']) {
      await admin.page.goto(`${fb.url}/admin/${section}`);
      await admin.page.locator('h1').waitFor();
      await settled(admin.page);
      await screenshot(admin.page, `admin-${section}`);
      expect(await accessibilityProblems(admin.page), section).toEqual([]);
    }
    // Add a service in the browser.
    await admin.page.goto(`${fb.url}/admin/services`);
    await admin.page.getByRole('button', { name: 'New service' }).click();
    await admin.page.getByLabel('Name', { exact: true }).fill('Storage');
    await admin.page.getByRole('button', { name: 'Save' }).click();
    await admin.page.getByRole('cell', { name: 'Storage', exact: true }).waitFor();
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    const agent = await signedIn(browser, fb.url, 'agent@e2e.test');
    await agent.page.goto(`${fb.url}/admin/users`);
    await agent.page.getByText('Only admins can change the set-up').waitFor();
    await agent.context.close();
  }, 90_000);

  it('lets an admin define an SLA and an on-call rota in the browser; a new P1 then shows its SLA and pages the rota', async () => {
    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    await admin.page.goto(`${fb.url}/admin/slas`);
    await admin.page.getByRole('button', { name: 'New calendar' }).click();
    await admin.page.getByLabel('Name', { exact: true }).fill('Round-the-week office');
    await admin.page.getByLabel('Time zone').fill('Europe/Berlin');
    for (const day of ['saturday', 'sunday']) await admin.page.locator('tr', { hasText: day }).getByRole('checkbox').check();
    await admin.page.getByRole('button', { name: 'Save calendar' }).click();
    await admin.page.locator('li strong', { hasText: 'Round-the-week office' }).waitFor();

    await admin.page.getByRole('button', { name: 'New SLA policy' }).click();
    await admin.page.getByLabel('Name', { exact: true }).fill('Critical');
    // Targets in the units people use (issue 12): an unreadable one is said before anything is sent.
    await admin.page.getByLabel('First response within').fill('soon');
    await admin.page.getByLabel('Resolution within').fill('4 h');
    await admin.page.getByLabel('P1', { exact: true }).check();
    await admin.page.getByRole('button', { name: 'Save policy' }).click();
    await admin.page.getByText('Write it as minutes, hours or days').waitFor();
    await admin.page.getByLabel('First response within').fill('15 min');
    await admin.page.getByRole('button', { name: 'Save policy' }).click();
    await admin.page.getByRole('cell', { name: 'Critical', exact: true }).waitFor();
    const row = admin.page.locator('tr', { hasText: 'Critical' });
    expect(await row.getByRole('cell', { name: '15 min' }).count()).toBe(1);
    expect(await row.getByRole('cell', { name: '4 h', exact: true }).count()).toBe(1);
    // The first matching policy applies: a second one can be moved before the first.
    await admin.page.getByRole('button', { name: 'New SLA policy' }).click();
    await admin.page.getByLabel('Name', { exact: true }).fill('Everything else');
    await admin.page.getByLabel('Resolution within').fill('2 d');
    await admin.page.getByRole('button', { name: 'Save policy' }).click();
    await admin.page.getByRole('cell', { name: 'Everything else', exact: true }).waitFor();
    await admin.page.getByRole('button', { name: 'Move Everything else up' }).click();
    await admin.page.locator('table.data tbody tr').first().filter({ hasText: 'Everything else' }).waitFor();
    expect((await fb.api('GET', '/sla-policies')).items.map((p: { name: string }) => p.name)).toEqual(['Everything else', 'Critical']);
    await admin.page.getByRole('button', { name: 'Move Everything else down' }).click();
    await admin.page.locator('table.data tbody tr').first().filter({ hasText: 'Critical' }).waitFor();
    // Moving changes only the order: Critical still matches P1 alone.
    await admin.page.locator('tr', { hasText: 'Critical' }).getByRole('cell', { name: 'P1', exact: true }).waitFor();
    await screenshot(admin.page, 'admin-slas');
    expect(await accessibilityProblems(admin.page)).toEqual([]);

    await admin.page.goto(`${fb.url}/admin/on-call`);
    await admin.page.getByRole('button', { name: 'New schedule' }).click();
    await admin.page.getByLabel('Name', { exact: true }).fill('Desk nights');
    await admin.page.getByLabel('Time zone').fill('Europe/Berlin');
    // Started yesterday: a rota starting today at 09:00 has nobody on call before then (a test run after midnight).
    await admin.page.getByLabel('Starting').fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await admin.page.getByLabel('Add someone to the rotation').selectOption({ label: 'Alex Agent' });
    await admin.page.getByRole('button', { name: 'Save schedule' }).click();
    await admin.page.locator('li strong', { hasText: 'Desk nights' }).waitFor();
    await admin.page.getByRole('button', { name: 'New escalation policy' }).click();
    await admin.page.getByLabel('Name', { exact: true }).fill('Desk P1');
    await admin.page.getByLabel('Level 1: page').selectOption({ label: 'Desk nights' });
    await admin.page.getByRole('button', { name: 'Save policy' }).click();
    await admin.page.locator('li strong', { hasText: 'Desk P1' }).waitFor();
    await screenshot(admin.page, 'admin-on-call');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    // The policy applies to the next P1: the desk's queue shows when it is due, the ticket page its clock.
    const p1 = await fb.api('POST', '/tickets', { title: 'Warehouse scanners offline', impact: 1, urgency: 1 });
    expect(p1.slaDueAt).not.toBeNull();
    const [policy] = (await fb.api('GET', '/escalation-policies')).items;
    await fb.api('POST', `/tickets/${p1.id}/pages`, { escalationPolicyId: policy.id, message: 'Scanners down' });
    const agent = await signedIn(browser, fb.url, 'agent@e2e.test');
    await agent.page.goto(`${fb.url}/desk/tickets/${p1.id}`);
    await agent.page.getByRole('heading', { name: 'SLA' }).waitFor();
    await agent.page.getByText('Critical · 15 min target').waitFor();
    await agent.page.getByRole('button', { name: 'Acknowledge' }).waitFor();
    await agent.context.close();
  }, 120_000);

  it('says "reconnecting" when the server goes away, keeps what was typed, and catches up when it is back', async () => {
    const ticket = await fb.api('POST', '/tickets', { title: 'Badge reader at gate 2 rejects all cards' });
    const agent = await signedIn(browser, fb.url, 'agent@e2e.test');
    await agent.page.goto(`${fb.url}/desk/tickets/${ticket.id}`);
    await agent.page.getByText('Live', { exact: true }).waitFor();
    await agent.page.locator('#composer-body').fill('Half-written note about the badge reader');

    await fb.kill();
    await agent.page.getByText('Reconnecting to Firebreak…').waitFor();
    await screenshot(agent.page, 'desk-reconnecting');
    await fb.start();
    // Changed while this page was disconnected: it must catch up without a reload.
    await fb.api('POST', `/tickets/${ticket.id}/comments`, { body: 'Facilities replaced the reader.', visibility: 'public' });
    await agent.page.getByText('Live', { exact: true }).waitFor({ timeout: 30_000 });
    await agent.page.locator('.timeline .comment', { hasText: 'Facilities replaced the reader.' }).waitFor();
    expect(await agent.page.locator('#composer-body').inputValue()).toBe('Half-written note about the badge reader');
    await agent.context.close();
  }, 120_000);
});
