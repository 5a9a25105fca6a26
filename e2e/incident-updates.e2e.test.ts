import path from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../server/test/database.js';
import {
  ARTIFACTS,
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
 * Issue 15 items 4–6 in a real browser: a P1 VPN incident is declared major; the communications
 * manager is asked "Who needs to know now?", composes from the "Investigating" template, sends to
 * the status page and the "IT leadership" list at once; the update is on /status; then the
 * incident's time is moved past the due time and the grace (the server runs on the real clock,
 * so the incident's due time and its timers are moved back instead) and the reminder and the
 * overdue flag appear on the incident, its timeline and the desk queue.
 */
describe.skipIf(browserTestsOff)('stakeholder updates on a major incident', () => {
  let fb: Firebreak;
  let browser: Browser;
  let incident: { id: string; number: string };

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    const cora = await addPerson(fb, 'cora@e2e.test', 'Cora Comms', 'agent');
    const bea = await addPerson(fb, 'bea@e2e.test', 'Bea Boss', 'manager');
    const vpn = await fb.api('POST', '/services', { name: 'VPN', onStatusPage: true });
    const leadership = await fb.api('POST', '/teams', { name: 'Leadership', memberIds: [bea.id] });
    await fb.api('POST', '/stakeholder-lists', {
      name: 'IT leadership',
      teamIds: [leadership.id],
      emails: ['cfo@example.com'],
      serviceIds: [vpn.id],
    });
    incident = await fb.api('POST', '/tickets', {
      kind: 'incident',
      title: 'VPN down for every office',
      description: 'Nobody can connect to the VPN since 09:02.',
      impact: 1,
      urgency: 1,
      serviceId: vpn.id,
    });
    await fb.api('POST', `/tickets/${incident.id}/declare-major`, { reason: 'Every office has lost the VPN' });
    const roles = await fb.api('GET', '/incident-roles');
    const comms = roles.items.find((r: { key: string | null }) => r.key === 'communications_manager');
    await fb.api('POST', `/tickets/${incident.id}/roles`, { roleId: comms.id, userId: cora.id });
  });

  it('composes from a template, sends to the status page and a stakeholder list, and reminds when the next update is due', async () => {
    const cora = await signedIn(browser, fb.url, 'cora@e2e.test');
    const page = cora.page;
    await page.goto(`${fb.url}/desk/tickets/${incident.id}`);
    const panel = page.getByTestId('stakeholder-updates');
    await panel.getByText('Who needs to know now?').waitFor();
    expect(await panel.innerText()).toContain('The major incident was declared');
    expect(await panel.getByTestId('update-due').innerText()).toMatch(/Next update due/);

    await panel.getByRole('button', { name: 'Write an update' }).click();
    const text = panel.getByLabel('Update', { exact: true });
    expect(await text.inputValue()).toContain('We are investigating a disruption of {service}');
    await text.fill(`${await text.inputValue()} Working from home? Use the web mail meanwhile.`);
    // Proposed: the status page (a major incident) and the list attached to VPN.
    expect(await panel.getByRole('checkbox', { name: /Status page, affected requesters and followers/ }).isChecked()).toBe(true);
    expect(await panel.getByRole('checkbox', { name: /IT leadership/ }).isChecked()).toBe(true);
    // Each channel previewed with the variables filled in.
    await expect.poll(() => panel.getByTestId('preview-public').innerText()).toContain('We are investigating a disruption of VPN');
    expect(await panel.getByTestId('preview-email').innerText()).toContain(
      `Subject: [${incident.number}] Investigating: VPN down for every office`,
    );

    // A variable that does not exist is named before sending.
    await text.fill('ETA {eta}');
    await panel.getByText('is not a variable: {eta}').waitFor();
    expect(await panel.getByRole('button', { name: 'Send update' }).isDisabled()).toBe(true);
    await text.fill('We are investigating a disruption of {service} since {started_at}. Working from home? Use the web mail meanwhile.');

    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'incident-update-composer');
    expect(await accessibilityProblems(page)).toEqual([]);
    await panel.getByRole('button', { name: 'Send update' }).click();
    const sent = panel.locator('.sent-update').first();
    await sent.waitFor();
    expect(await sent.innerText()).toContain('To: Status page, affected requesters and followers, Response role holders, IT leadership');
    expect(await sent.innerText()).toContain('Working from home? Use the web mail meanwhile.');
    expect(await panel.getByText('Who needs to know now?').count()).toBe(0);
    const timeline = page.locator('section', { has: page.getByRole('heading', { name: 'Timeline' }) });
    await expect
      .poll(() => timeline.innerText())
      .toContain('sent an update to Status page, affected requesters and followers, Response role holders, IT leadership');

    // The status page shows it, without signing in.
    const visitor = await browser.newPage();
    await visitor.goto(`${fb.url}/status`);
    await visitor.getByText('Working from home? Use the web mail meanwhile.').waitFor();
    await visitor.close();

    // 40 minutes later nobody has posted again: the due time (30 min) and the grace (8 min) passed.
    await fb.sql(
      `UPDATE incident_update_cadences SET next_due_at = next_due_at - interval '40 minutes', last_update_at = last_update_at - interval '40 minutes', cadence_since = cadence_since - interval '40 minutes' WHERE ticket_id = '${incident.id}';
       UPDATE jobs SET run_at = run_at - interval '40 minutes',
         payload = jsonb_set(payload, '{dueAt}', to_jsonb(to_char(((payload->>'dueAt')::timestamptz - interval '40 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
       WHERE kind = 'incident_update.reminder' AND payload->>'ticketId' = '${incident.id}'`,
    );
    await expect
      .poll(async () => (await fb.api('GET', `/tickets/${incident.id}/timeline?limit=100`)).items.map((e: { type: string }) => e.type), {
        timeout: 30_000,
      })
      .toEqual(expect.arrayContaining(['update_due', 'update_overdue']));

    await page.reload();
    await panel
      .getByTestId('update-due')
      .getByText(/Update overdue/)
      .waitFor();
    await expect.poll(() => timeline.innerText()).toContain('P1 — next update due now');
    expect(await timeline.innerText()).toContain('flagged the update as overdue');

    // The desk queue shows it on the incident's row.
    await page.goto(`${fb.url}/desk/queue/open`);
    const row = page.locator(`[data-ticket-id="${incident.id}"]`);
    await row
      .getByTestId('update-due')
      .getByText(/Update overdue/)
      .waitFor();
    await screenshot(page, 'incident-update-queue');

    await page.goto(`${fb.url}/desk/tickets/${incident.id}`);
    await panel.getByTestId('update-due').waitFor();
    await expectFitsPhone(page);
    await page.setViewportSize(PHONE);
    await panel.getByRole('button', { name: 'Write an update' }).click();
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'incident-update-composer-phone');
    // The card alone, to look at closely (the full page at 390 px is very long).
    await panel.screenshot({
      path: path.join(ARTIFACTS, testEngine(), 'incident-update-panel-phone.png'),
    });
    expect(cora.errors).toEqual([]);
    await cora.context.close();
  }, 240_000);

  it('lets the admin set the cadence, the templates and the stakeholder lists', async () => {
    const admin = await signedIn(browser, fb.url, 'admin@e2e.test');
    await admin.page.goto(`${fb.url}/admin/stakeholder-updates`);
    await admin.page.getByRole('heading', { name: 'Update cadence' }).waitFor();
    const p1 = admin.page.getByLabel('P1 Critical');
    await expect.poll(() => p1.inputValue()).toBe('30');
    await p1.fill('2');
    await admin.page.getByRole('button', { name: 'Save cadence' }).click();
    await admin.page.locator('.field-error', { hasText: 'must be whole minutes from 5 to 1,440 (24 hours)' }).waitFor();
    await p1.fill('20');
    await admin.page.getByRole('button', { name: 'Save cadence' }).click();
    await admin.page.getByText('Saved. It applies from the next update').waitFor();
    await admin.page.getByText('IT leadership').waitFor();
    await screenshot(admin.page, 'admin-stakeholder-updates');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    await expectFitsPhone(admin.page);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 90_000);
});
