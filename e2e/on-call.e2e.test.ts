import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityProblems,
  browserTestsOff,
  type Firebreak,
  launchBrowser,
  PASSWORD,
  screenshot,
  signedIn,
  startFirebreak,
} from './harness.js';

describe.skipIf(browserTestsOff)('on-call and the notification bell, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;

  beforeAll(async () => {
    fb = await startFirebreak();
    browser = await launchBrowser();
    const oncall = await fb.api('POST', '/users', { email: 'nina@e2e.test', name: 'Nina Night', role: 'agent', password: PASSWORD });
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
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fb?.stop();
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
    await nina.page.waitForURL((u) => u.pathname.startsWith('/desk/tickets/'));
    await nina.page.getByRole('heading', { name: 'Pages' }).waitFor();
    await nina.page.getByRole('button', { name: 'Acknowledge' }).click();
    await nina.page.getByText('Acknowledged', { exact: true }).waitFor();
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
});
