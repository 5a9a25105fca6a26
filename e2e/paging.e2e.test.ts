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

/** Issue 12 item 11: paged on a phone, acknowledge first — and acknowledging takes the ticket. */
describe.skipIf(browserTestsOff)('paged on a phone', () => {
  let fb: Firebreak;
  let browser: Browser;
  let first: { id: string; number: string };
  let second: { id: string; number: string };

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    const paula = await addPerson(fb, 'paula@e2e.test', 'Paula Pager', 'agent');
    const backup = await addPerson(fb, 'ben@e2e.test', 'Ben Backup', 'agent');
    const team = await fb.api('POST', '/teams', { name: 'Payments', memberIds: [paula.id, backup.id] });
    const service = await fb.api('POST', '/services', { name: 'Card payments' });
    const schedule = await fb.api('POST', '/schedules', {
      name: 'Payments primary',
      timeZone: 'UTC',
      layers: [{ name: 'Weekly', rotation: { kind: 'weekly' }, handoffTime: '09:00', startDate: '2026-01-05', participants: [paula.id] }],
    });
    await fb.api('POST', '/escalation-policies', {
      name: 'Payments P1',
      levels: [
        { targets: [{ type: 'schedule', id: schedule.id }], timeoutMinutes: 5 },
        { targets: [{ type: 'user', id: backup.id }], timeoutMinutes: 5 },
      ],
      teamIds: [team.id],
    });
    // Two critical incidents for the team page whoever is on call; nobody is assigned to either.
    first = await fb.api('POST', '/tickets', {
      title: 'Card payments declined at checkout',
      teamId: team.id,
      serviceId: service.id,
      impact: 1,
      urgency: 1,
    });
    second = await fb.api('POST', '/tickets', { title: 'Refunds stuck in pending', teamId: team.id, impact: 1, urgency: 1 });
  });

  it('acknowledges from the bell in one tap and becomes the assignee', async () => {
    const paula = await signedIn(browser, fb.url, 'paula@e2e.test', { viewport: PHONE });
    const bell = paula.page.getByRole('button', { name: /Notifications, \d+ unread/ });
    await bell.waitFor();
    await bell.click();
    const item = paula.page.locator('.bell-list li', { hasText: 'Card payments declined at checkout' });
    const ack = item.getByRole('button', { name: 'Acknowledge' });
    await ack.waitFor();
    const box = await ack.boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(44);
    await screenshot(paula.page, 'paging-bell-phone');
    expect(await accessibilityProblems(paula.page)).toEqual([]);
    await ack.click();
    await item.getByText('Acknowledged: the ticket is now yours.').waitFor();
    await screenshot(paula.page, 'paging-bell-acknowledged-phone');

    const ticket = await fb.api('GET', `/tickets/${first.id}`);
    expect(ticket.assignee?.name).toBe('Paula Pager');
    expect(ticket.state).toBe('assigned');

    // The ticket's paging card names who was paged at each level and who acknowledged.
    await paula.page.goto(`${fb.url}/desk/tickets/${first.id}`);
    const card = paula.page.locator('section', { has: paula.page.getByRole('heading', { name: 'Pages' }) });
    await card.getByText('Level 1:').waitFor();
    await expect.poll(() => card.innerText()).toContain('Paula Pager');
    await card.getByText(/Acknowledged by Paula Pager/).waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot(paula.page, 'paging-card-phone');
    expect(paula.errors).toEqual([]);
    await paula.context.close();
  }, 120_000);

  it('opens the acknowledge-first page from the notification with the button above the fold', async () => {
    const paula = await signedIn(browser, fb.url, 'paula@e2e.test', { viewport: PHONE });
    await paula.page.getByRole('button', { name: /Notifications/ }).click();
    await paula.page
      .getByRole('link', { name: /Refunds stuck in pending/ })
      .first()
      .click();
    await paula.page.waitForURL((u) => u.pathname.startsWith('/desk/pages/'));
    const ack = paula.page.getByRole('button', { name: 'Acknowledge' });
    await ack.waitFor();
    await paula.page.getByRole('heading', { name: 'Refunds stuck in pending' }).waitFor();
    await paula.page.getByText('You are paged').waitFor();
    await paula.page.getByText(/Level 1:\s*Paula Pager/).waitFor();
    const box = await ack.boundingBox();
    expect(box).not.toBeNull();
    // One big target, wholly above the fold of a 390×844 phone.
    expect(box?.height).toBeGreaterThanOrEqual(44);
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(PHONE.height);
    await expectFitsPhone(paula.page);
    await screenshot(paula.page, 'paging-ack-first-phone');
    expect(await accessibilityProblems(paula.page)).toEqual([]);
    await ack.click();
    await paula.page.getByText('Acknowledged. The ticket is now assigned to you.').waitFor();
    await paula.page.getByText('assigned to Paula Pager').waitFor();
    await screenshot(paula.page, 'paging-ack-first-done-phone');
    expect((await fb.api('GET', `/tickets/${second.id}`)).assignee?.name).toBe('Paula Pager');
    await paula.page.getByRole('link', { name: 'Open the full ticket →' }).click();
    await paula.page.waitForURL((u) => u.pathname === `/desk/tickets/${second.id}`);
    expect(paula.errors).toEqual([]);
    await paula.context.close();
  }, 120_000);
});
