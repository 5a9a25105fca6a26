import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { toZonedInput } from '../web/src/ui/zoned-time.js';
import { accessibilityProblems, addPerson, browserTestsOff, type Firebreak, screenshot, signedIn, useFirebreak } from './harness.js';

describe.skipIf(browserTestsOff)('on-call and the notification bell, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    const oncall = await addPerson(fb, 'nina@e2e.test', 'Nina Night', 'agent');
    await addPerson(fb, 'omar@e2e.test', 'Omar Overnight', 'agent');
    await addPerson(fb, 'mia@e2e.test', 'Mia Manager', 'manager', { timeZone: 'Asia/Kolkata' });
    const team = await fb.api('POST', '/teams', { name: 'Network', memberIds: [oncall.id] });
    const schedule = await fb.api('POST', '/schedules', {
      name: 'Network primary',
      timeZone: 'Europe/Berlin',
      layers: [{ name: 'Weekly', rotation: { kind: 'weekly' }, handoffTime: '09:00', startDate: '2026-01-05', participants: [oncall.id] }],
    });
    await fb.api('POST', '/escalation-policies', {
      name: 'Network P1',
      levels: [{ targets: [{ type: 'schedule', id: schedule.id }], timeoutMinutes: 5 }],
      teamIds: [team.id],
    });
    // A critical incident for the team pages whoever is on call.
    await fb.api('POST', '/tickets', { title: 'Core switch down in Leeds', teamId: team.id, impact: 1, urgency: 1 });
  });

  it('shows the page in the bell, opens the ticket from it, and acknowledging stops the escalation', async () => {
    const nina = await signedIn(browser, fb.url, 'nina@e2e.test');
    const bell = nina.page.getByRole('button', { name: /Notifications, \d+ unread/ });
    await bell.waitFor();
    await bell.click();
    await screenshot(nina.page, 'bell-open');
    await nina.page
      .getByRole('link', { name: /Core switch down in Leeds/ })
      .first()
      .click();
    // A page's notification opens the acknowledge-first view; the full ticket is one link away.
    await nina.page.waitForURL((u) => u.pathname.startsWith('/desk/pages/'));
    await nina.page.getByRole('link', { name: 'Open the full ticket →' }).click();
    await nina.page.waitForURL((u) => u.pathname.startsWith('/desk/tickets/'));
    await nina.page.getByRole('heading', { name: 'Pages' }).waitFor();
    // Still paging her: the ticket says so first, above everything (its card sits far down on a phone).
    await nina.page.getByText('You are paged for this ticket').waitFor();
    await screenshot(nina.page, 'desk-ticket-paged-banner');
    await nina.page.getByRole('button', { name: 'Acknowledge' }).click();
    await nina.page.getByText('Acknowledged', { exact: true }).waitFor();
    // Nobody had the ticket: acknowledging made it hers, and the page says so.
    await nina.page.getByText('Acknowledged. The ticket is now assigned to you.').waitFor();
    await nina.page.getByRole('button', { name: 'Assign to me' }).waitFor({ state: 'detached' });
    await nina.page.getByText('You are paged for this ticket').waitFor({ state: 'detached' });
    await screenshot(nina.page, 'desk-ticket-paged');
    expect(await accessibilityProblems(nina.page)).toEqual([]);

    await nina.page.goto(`${fb.url}/on-call`);
    await nina.page.getByText('On call now:').waitFor();
    await nina.page.locator('.rota-seg', { hasText: 'Nina Night' }).first().waitFor();
    await screenshot(nina.page, 'on-call');
    expect(await accessibilityProblems(nina.page)).toEqual([]);

    await nina.page.goto(`${fb.url}/settings`);
    await nina.page.getByLabel('SLA warnings and breaches: e-mail').uncheck();
    await nina.page.getByRole('button', { name: 'Save' }).click();
    await nina.page.getByText('Saved.').waitFor();
    const me = await fetch(`${fb.url}/api/v1/me`, {
      headers: { cookie: (await nina.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect((await me.json()).notificationPreferences.sla.email).toBe(false);
    expect(nina.errors).toEqual([]);
    await nina.context.close();
  }, 90_000);

  it('lets a manager cover a shift on the on-call page: the cover is on call at once, an overlapping one is refused, removing it hands back', async () => {
    // Mia's own time zone (Settings) is Kolkata, her browser's is Los Angeles: the form's times are hers.
    const local = (at: Date) => toZonedInput(at, 'Asia/Kolkata');
    const mia = await signedIn(browser, fb.url, 'mia@e2e.test', { browserTimeZone: 'America/Los_Angeles' });
    await mia.page.goto(`${fb.url}/on-call`);
    const card = mia.page.getByRole('region', { name: 'Network primary', exact: true });
    await card.getByText('On call now: Nina Night').waitFor();

    await card.getByRole('button', { name: /^Cover a shift/ }).click();
    await card.getByLabel('Who covers', { exact: true }).selectOption({ label: 'Omar Overnight' });
    await card.getByLabel('From', { exact: true }).fill(local(new Date(Date.now() - 60 * 60_000)));
    await card.getByLabel('Until', { exact: true }).fill(local(new Date(Date.now() + 3 * 60 * 60_000)));
    await card.getByRole('button', { name: 'Save cover' }).click();
    await card.locator('.override-row', { hasText: 'Omar Overnight' }).waitFor();
    await card.getByText('On call now: Omar Overnight (override)').waitFor();
    await card.locator('.rota-seg.override', { hasText: 'Omar Overnight' }).first().waitFor();
    await screenshot(mia.page, 'on-call-override');
    expect(await accessibilityProblems(mia.page)).toEqual([]);

    // A second cover over the same hours is refused, naming the clash; nothing changes.
    await card.getByRole('button', { name: /^Cover a shift/ }).click();
    await card.getByLabel('Who covers', { exact: true }).selectOption({ label: 'Nina Night' });
    await card.getByLabel('From', { exact: true }).fill(local(new Date(Date.now() + 60 * 60_000)));
    await card.getByLabel('Until', { exact: true }).fill(local(new Date(Date.now() + 2 * 60 * 60_000)));
    await card.getByRole('button', { name: 'Save cover' }).click();
    await card
      .getByText(/overlaps the override from/)
      .first()
      .waitFor();
    await card.getByRole('button', { name: 'Cancel' }).click();
    expect(await card.locator('.override-row').count()).toBe(1);

    // An agent sees the cover but cannot change it.
    const nina = await signedIn(browser, fb.url, 'nina@e2e.test');
    await nina.page.goto(`${fb.url}/on-call`);
    const ninaCard = nina.page.getByRole('region', { name: 'Network primary', exact: true });
    await ninaCard.locator('.override-row', { hasText: 'Omar Overnight' }).waitFor();
    expect(await ninaCard.getByRole('button', { name: /^Cover a shift|^Remove/ }).count()).toBe(0);
    await nina.context.close();

    await card.getByRole('button', { name: /^Remove the cover by Omar Overnight/ }).click();
    await card.getByText('Nobody covers a shift from now on.').waitFor();
    await card.getByText('On call now: Nina Night').waitFor();
    expect(mia.errors).toEqual([]);
    await mia.context.close();
  }, 120_000);
});
