import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { reportVpnOutage, useDesk, VPN_INCIDENT_CAST } from './desk.js';
import { accessibilityProblems, browserTestsOff, expectFitsPhone, PHONE, screenshot } from './harness.js';

/**
 * Issue 14 items 4–7 in a real browser: the desk staffs a major incident's roles, runs two
 * investigations side by side (seen live by a colleague on the same page), confirms one as the
 * root cause, hands out a task and schedules a meeting; the admin keeps the roster.
 */
describe.skipIf(browserTestsOff)('a major incident’s response on the desk', () => {
  let incident: { id: string; number: string };

  const seeded = useDesk(VPN_INCIDENT_CAST, async ({ fb }) => {
    incident = await reportVpnOutage(fb);
  });

  /** A `datetime-local` value an hour from now in the browser's own time. */
  const inAnHour = (page: Page) =>
    page.evaluate(() => {
      const d = new Date(Date.now() + 3_600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });

  it('staffs the roles, investigates in parallel (live for a colleague), confirms the root cause, hands out a task, schedules a meeting', async () => {
    const { fb } = seeded;
    const ingrid = await seeded.signIn('ingrid@e2e.test');
    const sam = await seeded.signIn('sam@e2e.test');
    const page = ingrid.page;
    await page.goto(`${fb.url}/desk/tickets/${incident.id}`);
    await sam.page.goto(`${fb.url}/desk/tickets/${incident.id}`);
    const roles = page.locator('section', { has: page.getByRole('heading', { name: 'Response roles' }) });
    await roles.waitFor();

    // Ingrid takes the incident manager role; her checklist appears ("what is my role").
    await roles.getByRole('button', { name: 'Assign Incident manager' }).click();
    await roles.getByLabel('Give Incident manager to').selectOption({ label: 'Ingrid Incident' });
    await roles.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByTestId('my-roles').getByText('Your role: Incident manager.').waitFor();
    // Sam becomes a subject-matter expert.
    await roles.getByRole('button', { name: 'Assign Subject-matter expert' }).click();
    await roles.getByLabel('Give Subject-matter expert to').selectOption({ label: 'Sam Specialist' });
    await roles.getByRole('button', { name: 'Assign', exact: true }).click();
    await roles.locator('.role-row', { hasText: 'Subject-matter expert' }).getByText('Sam Specialist').waitFor();
    // The single-holder role now offers a hand-over, not a second holder.
    await roles.getByRole('button', { name: 'Hand over Incident manager' }).waitFor();

    // Two investigations, side by side.
    const investigations = page.locator('section', { has: page.getByRole('heading', { name: 'Investigations' }) });
    for (const [hypothesis, owner] of [
      ['Certificate expired', 'Sam Specialist'],
      ['Upstream ISP outage', 'Ingrid Incident'],
    ]) {
      await investigations.getByLabel('Hypothesis').fill(hypothesis);
      await investigations.getByLabel('Owner').selectOption({ label: owner });
      await investigations.getByRole('button', { name: 'Open investigation' }).click();
      await investigations.getByRole('article', { name: `Investigation: ${hypothesis}` }).waitFor();
    }
    // Sam sees both without reloading: the live stream refreshed his page.
    await sam.page.getByRole('article', { name: 'Investigation: Upstream ISP outage' }).waitFor();

    const cert = investigations.getByRole('article', { name: 'Investigation: Certificate expired' });
    await cert.getByLabel('Finding').fill('Gateway certificate expired at 09:01');
    await cert.getByRole('button', { name: 'Add' }).click();
    await cert.getByText('Gateway certificate expired at 09:01').waitFor();
    await cert.getByRole('button', { name: 'Confirm…' }).click();
    await cert.getByLabel('Conclusion (becomes the root cause)').fill('The gateway certificate expired and was not renewed');
    await cert.getByRole('button', { name: 'Confirm', exact: true }).click();
    await cert.getByText('Confirmed', { exact: true }).waitFor();
    await investigations.locator('.root-cause').getByText('The gateway certificate expired and was not renewed').waitFor();
    const isp = investigations.getByRole('article', { name: 'Investigation: Upstream ISP outage' });
    await isp.getByRole('button', { name: 'Rule out…' }).click();
    await isp.getByLabel('Why it is ruled out').fill('The ISP reports no fault');
    await isp.getByRole('button', { name: 'Rule out', exact: true }).click();
    await isp.getByText('Ruled out', { exact: true }).waitFor();

    // A task for Sam.
    const tasks = page.locator('section', { has: page.getByRole('heading', { name: 'Tasks' }) });
    await tasks.getByLabel('New task').fill('Renew the gateway certificate');
    await tasks.getByLabel('Owner').selectOption({ label: 'Sam Specialist' });
    await tasks.getByLabel('Due').fill(await inAnHour(page));
    await tasks.getByRole('button', { name: 'Add task' }).click();
    await tasks.getByText('Renew the gateway certificate').waitFor();

    // A resolution meeting with a bridge link, Sam invited.
    const meetings = page.locator('section', { has: page.getByRole('heading', { name: 'Meetings' }) });
    await meetings.getByRole('button', { name: 'Schedule a meeting' }).click();
    await meetings.getByLabel('Starts').fill(await inAnHour(page));
    await meetings.getByLabel('Bridge link').fill('https://meet.example.test/vpn-bridge');
    await meetings.getByRole('checkbox', { name: 'Sam Specialist' }).check();
    await meetings.getByLabel('Agenda').fill('Confirm the fix; decide on the renewal alert');
    await meetings.getByRole('button', { name: 'Schedule', exact: true }).click();
    await meetings.getByRole('link', { name: 'Join the bridge' }).waitFor();
    await meetings.getByRole('button', { name: 'Start meeting' }).click();
    await meetings.getByText('In progress', { exact: true }).waitFor();
    await meetings.getByLabel('Decisions').fill('Add a certificate expiry check');
    await meetings.getByRole('button', { name: 'Save decisions' }).click();
    await expect.poll(() => meetings.getByRole('button', { name: 'Save decisions' }).isDisabled()).toBe(true);
    await meetings.getByRole('button', { name: 'End meeting' }).click();
    await meetings.getByText('Ended', { exact: true }).waitFor();

    // The timeline tells the story in people's words.
    const timeline = page.locator('section', { has: page.getByRole('heading', { name: 'Timeline' }) });
    await timeline.getByText('recorded the root cause').first().waitFor();
    await expect.poll(() => timeline.innerText()).toContain('scheduled a meeting');
    await expect.poll(() => timeline.innerText()).toContain('Decisions (Resolution meeting): Add a certificate expiry check');
    expect(await page.locator('.meeting .field-error, .meeting [role="alert"]').count()).toBe(0);

    // The war room narrows its timeline to the decisions: the root cause and the meeting's, not the task.
    await timeline.getByRole('radio', { name: 'Decisions' }).check();
    await expect.poll(() => timeline.innerText()).not.toContain('handed out a task');
    expect(await timeline.innerText()).toContain('recorded the root cause');
    expect(await timeline.innerText()).toContain('Add a certificate expiry check');
    await timeline.getByRole('radio', { name: 'Everything' }).check();
    await expect.poll(() => timeline.innerText()).toContain('handed out a task');
    // The war room's summary: since when, what is broken.
    const summary = page.getByRole('region', { name: 'Major incident at a glance' });
    expect(await summary.innerText()).toMatch(/Since detection\s+\d+ min/);

    await page.getByTestId('major-incident-response').scrollIntoViewIfNeeded();
    await screenshot(page, 'major-incident-response');
    expect(await accessibilityProblems(page)).toEqual([]);
    await expectFitsPhone(page);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'major-incident-response-phone');

    const ticket = await fb.api('GET', `/tickets/${incident.id}`);
    expect(ticket.rootCause).toBe('The gateway certificate expired and was not renewed');
    const mine = await fetch(`${fb.url}/api/v1/me/incident-roles`, {
      headers: { cookie: (await ingrid.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(((await mine.json()) as { items: { role: { name: string } }[] }).items.map((r) => r.role.name)).toEqual(['Incident manager']);

    expect(ingrid.errors).toEqual([]);
    expect(sam.errors).toEqual([]);
    await sam.context.close();
    await ingrid.context.close();
  }, 180_000);

  it('lets the admin keep the roster of response roles', async () => {
    const { fb } = seeded;
    const admin = await seeded.signIn('admin@e2e.test');
    await admin.page.goto(`${fb.url}/admin/response-roles`);
    const table = admin.page.getByRole('table');
    await table.locator('strong', { hasText: 'Subject-matter expert' }).waitFor();
    await expect.poll(() => table.innerText()).toContain('Several people');
    await admin.page.getByRole('button', { name: 'New role' }).click();
    await admin.page.getByLabel('Name').fill('Liaison officer');
    await admin.page.getByLabel('What the holder does').fill('Keeps the regulator informed');
    await admin.page.getByLabel('Checklist').fill('Call the regulator\nSend the written notice');
    await admin.page.getByRole('button', { name: 'Save' }).click();
    await table.locator('strong', { hasText: 'Liaison officer' }).waitFor();
    await screenshot(admin.page, 'admin-response-roles');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 90_000);
});
