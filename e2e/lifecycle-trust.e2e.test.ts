import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityProblems, addPerson, browserTestsOff, type Firebreak, screenshot, signedIn, useFirebreak } from './harness.js';

/**
 * A lifecycle the desk can trust (issue 12): two agents editing the same ticket never undo each
 * other, a shortcut never takes a colleague's ticket without asking, and a follower of a known
 * problem can open what they follow.
 */
describe.skipIf(browserTestsOff)('a lifecycle the desk can trust, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  const ids: Record<string, string> = {};

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    const alex = await addPerson(fb, 'alex@e2e.test', 'Alex Agent', 'agent');
    const dana = await addPerson(fb, 'dana@e2e.test', 'Dana Agent', 'agent');
    await addPerson(fb, 'rita@e2e.test', 'Rita Requester', 'requester');
    const team = await fb.api('POST', '/teams', { name: 'Service Desk', memberIds: [alex.id, dana.id] });
    const vpn = await fb.api('POST', '/services', { name: 'VPN', ownerTeamId: team.id });
    ids.vpn = vpn.id;
    ids.dana = dana.id;
    await fb.api('POST', '/escalation-policies', {
      name: 'Desk P1',
      levels: [{ targets: [{ type: 'user', id: dana.id }], timeoutMinutes: 5 }],
      repeat: 0,
      teamIds: [team.id],
    });
  });

  it("after a conflict and a reload, saving sends only the person's own change and shows what changed under them", async () => {
    const ticket = await fb.api('POST', '/tickets', { title: 'Printer offline on floor 3', serviceId: ids.vpn, impact: 3, urgency: 3 });
    const url = `${fb.url}/desk/tickets/${ticket.id}`;
    const alex = await signedIn(browser, fb.url, 'alex@e2e.test');
    const dana = await signedIn(browser, fb.url, 'dana@e2e.test');
    await alex.page.goto(url);
    await dana.page.goto(url);

    // Alex opens the form and raises the impact; meanwhile Dana raises the urgency and saves.
    await alex.page.getByRole('button', { name: 'Edit fields…' }).click();
    await alex.page.getByLabel('Impact').selectOption('2');
    await dana.page.getByRole('button', { name: 'Edit fields…' }).click();
    await dana.page.getByLabel('Urgency').selectOption('1');
    await dana.page.getByRole('button', { name: 'Save' }).click();
    // Dana's save must have landed before Alex sends: the form closes only once the server took it
    // ("Edit fields…" stays on screen all along, so waiting for it proved nothing).
    await dana.page.getByRole('heading', { name: 'Edit fields' }).waitFor({ state: 'detached' });
    await expect.poll(async () => (await fb.api('GET', `/tickets/${ticket.id}`)).urgency).toBe(1);

    await alex.page.getByRole('button', { name: 'Save' }).click();
    await alex.page.getByText('Someone else changed this ticket').waitFor();
    await alex.page.getByRole('button', { name: 'Reload it' }).click();
    const changed = alex.page.getByRole('status', { name: 'Changed while you were editing' });
    await changed.getByText(/Urgency: .* → .*/).waitFor();
    await screenshot(alex.page, 'desk-conflict-changed-under-you');
    expect(await accessibilityProblems(alex.page)).toEqual([]);
    await alex.page.getByRole('button', { name: 'Save' }).click();
    await alex.page.getByRole('heading', { name: 'Edit fields' }).waitFor({ state: 'detached' });

    await expect.poll(async () => (await fb.api('GET', `/tickets/${ticket.id}`)).impact).toBe(2);
    const after = await fb.api('GET', `/tickets/${ticket.id}`);
    expect(after.urgency).toBe(1); // Dana's change stands
    const timeline = await fb.api('GET', `/tickets/${ticket.id}/timeline`);
    const urgencyChanges = timeline.items.flatMap((e: { changes: { field: string; to: unknown }[] | null }) =>
      (e.changes ?? []).filter((c) => c.field === 'urgency').map((c) => c.to),
    );
    expect(urgencyChanges).toEqual([1]); // never reverted
    expect(alex.errors).toEqual([]);
    await alex.context.close();
    await dana.context.close();
  }, 120_000);

  it("asks before the 'a' shortcut takes a colleague's ticket", async () => {
    const ticket = await fb.api('POST', '/tickets', { title: 'Monitor flickers', impact: 3, urgency: 3 });
    await fb.api('PATCH', `/tickets/${ticket.id}`, { assigneeId: ids.dana });
    const alex = await signedIn(browser, fb.url, 'alex@e2e.test');
    await alex.page.goto(`${fb.url}/desk/tickets/${ticket.id}`);
    await alex.page.getByRole('button', { name: 'Take over from Dana Agent' }).waitFor();
    const asked: string[] = [];
    alex.page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await alex.page.keyboard.press('a');
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('assigned to Dana Agent');
    expect((await fb.api('GET', `/tickets/${ticket.id}`)).assignee.id).toBe(ids.dana);
    await alex.context.close();
  }, 60_000);

  it('keeps the rotation order the admin chose, and lets them reorder it', async () => {
    const admin = await signedIn(browser, fb.url, 'admin@e2e.test');
    await admin.page.goto(`${fb.url}/admin/on-call`);
    await admin.page.getByRole('button', { name: 'New schedule' }).click();
    await admin.page.getByLabel('Name', { exact: true }).fill('Desk rota');
    await admin.page.getByLabel('Time zone').fill('Europe/Berlin');
    // Dana first, then Alex: not the alphabetical order.
    await admin.page.getByLabel('Add someone to the rotation').selectOption({ label: 'Dana Agent' });
    await admin.page.getByLabel('Add someone to the rotation').selectOption({ label: 'Alex Agent' });
    await screenshot(admin.page, 'admin-on-call-rotation-order');
    await admin.page.setViewportSize({ width: 390, height: 844 });
    await screenshot(admin.page, 'admin-on-call-rotation-order-390');
    await admin.page.setViewportSize({ width: 1440, height: 900 });
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    await admin.page.getByRole('button', { name: 'Save schedule' }).click();
    await admin.page.locator('li strong', { hasText: 'Desk rota' }).waitFor();
    const names = async () => {
      const schedule = (await fb.api('GET', '/schedules')).items.find((s: { name: string }) => s.name === 'Desk rota');
      const staff = (await fb.api('GET', '/users?staff=true')).items as { id: string; name: string }[];
      return (schedule.layers[0].participants as string[]).map((id) => staff.find((u) => u.id === id)?.name);
    };
    expect(await names()).toEqual(['Dana Agent', 'Alex Agent']);

    // Reorder: Alex up, saved in that order.
    await admin.page.getByRole('button', { name: 'Edit Desk rota' }).click();
    await admin.page.getByRole('button', { name: 'Move Alex Agent up' }).click();
    await admin.page.getByRole('button', { name: 'Save schedule' }).click();
    await expect.poll(names).toEqual(['Alex Agent', 'Dana Agent']);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 90_000);

  it('lets a follower open a known problem from the portal and from its notification, read-only', async () => {
    const outage = await fb.api('POST', '/tickets', {
      title: 'E-mail down for everyone',
      description: 'Internal: the reporter is on extension 4711',
      serviceId: ids.vpn,
      impact: 1,
      urgency: 1,
      scope: 'global',
    });
    await fb.api('POST', `/tickets/${outage.id}/comments`, { body: 'Mail servers are restarting.', visibility: 'public' });
    await fb.api('POST', `/tickets/${outage.id}/comments`, { body: 'Disk array degraded', visibility: 'internal' });
    const rita = await signedIn(browser, fb.url, 'rita@e2e.test', { viewport: { width: 390, height: 844 } });
    await rita.page.goto(`${fb.url}/portal`);
    await rita.page.getByRole('button', { name: `Follow ${outage.number}` }).click();
    await rita.page.getByRole('heading', { name: 'Problems you follow' }).waitFor();
    await fb.api('POST', `/tickets/${outage.id}/transitions`, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'The mail store was moved to new disks.',
    });

    // The notification's link (/tickets/<id>) opens the problem, not "ticket not found".
    await rita.page.goto(`${fb.url}/tickets/${outage.id}`);
    await rita.page.getByRole('heading', { name: 'Updates from the service desk' }).waitFor();
    await rita.page.getByText('The mail store was moved to new disks.').waitFor();
    await rita.page.getByText('Mail servers are restarting.').waitFor();
    expect(await rita.page.getByText('Disk array degraded').count()).toBe(0);
    expect(await rita.page.getByText('extension 4711').count()).toBe(0);
    expect(await rita.page.getByText(/not found/i).count()).toBe(0);
    await screenshot(rita.page, 'portal-known-problem-followed-390');
    expect(await accessibilityProblems(rita.page)).toEqual([]);
    const overflow = await rita.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // And from the portal's card.
    await rita.page.goto(`${fb.url}/portal`);
    await rita.page.getByRole('link', { name: 'E-mail down for everyone' }).click();
    await rita.page.waitForURL((u) => u.pathname === `/portal/known-issues/${outage.id}`);
    await rita.page.getByText('The mail store was moved to new disks.').waitFor();
    expect(rita.errors).toEqual([]);
    await rita.context.close();
  }, 90_000);

  it("holds the page for a requester's P1 until someone on the desk confirms it", async () => {
    const rita = await signedIn(browser, fb.url, 'rita@e2e.test');
    await rita.page.goto(`${fb.url}/portal/report`);
    await rita.page.getByLabel('Which service?').fill('vp');
    await rita.page.getByRole('button', { name: 'VPN', exact: true }).click();
    await rita.page.getByLabel('What happened?').fill('Nobody in the office can connect');
    await rita.page.getByLabel('Many people or customers').check();
    await rita.page.getByLabel('Not at all').check();
    await rita.page.getByRole('button', { name: 'Send report' }).click();
    await rita.page.getByText(/Thanks — your ticket is INC\d{7}/).waitFor();
    const id = new URL(rita.page.url()).pathname.split('/').at(-1) as string;
    expect(await fb.api('GET', `/tickets/${id}/pages`)).toEqual({ items: [] });
    await rita.context.close();

    const alex = await signedIn(browser, fb.url, 'alex@e2e.test');
    await alex.page.goto(`${fb.url}/desk/tickets/${id}`);
    const held = alex.page.locator('.banner', { hasText: 'Not paged yet: waiting for a staff member to confirm the priority' });
    await held.waitFor();
    await screenshot(alex.page, 'desk-p1-not-paged-yet');
    expect(await accessibilityProblems(alex.page)).toEqual([]);
    await alex.page.setViewportSize({ width: 390, height: 844 });
    await screenshot(alex.page, 'desk-p1-not-paged-yet-390');
    const wider = await alex.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(wider).toBeLessThanOrEqual(0);
    await alex.page.getByRole('button', { name: 'Confirm P1 and page on-call' }).click();
    await held.waitFor({ state: 'detached' });
    await expect.poll(async () => (await fb.api('GET', `/tickets/${id}/pages`)).items.length).toBe(1);
    expect(alex.errors).toEqual([]);
    await alex.context.close();

    const admin = await signedIn(browser, fb.url, 'admin@e2e.test');
    await admin.page.goto(`${fb.url}/admin/on-call`);
    await admin.page.getByRole('heading', { name: 'When a requester reports a P1' }).waitFor();
    await admin.page.getByLabel('Page anyway after (minutes)').fill('30');
    await admin.page.getByRole('button', { name: 'Save', exact: true }).click();
    await admin.page.getByText('Saved.').waitFor();
    expect(await fb.api('GET', '/settings/requester-p1-paging')).toEqual({ waitForStaff: true, pageAfterMinutes: 30 });
    await screenshot(admin.page, 'admin-requester-p1-paging');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    await admin.context.close();
  }, 120_000);
});
