import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityProblems, addPerson, browserTestsOff, type Firebreak, screenshot, signedIn, useFirebreak } from './harness.js';

describe.skipIf(browserTestsOff)('routing rules and refused deliveries, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    await addPerson(fb, 'router@e2e.test', 'Rita Router', 'admin');
    await fb.api('POST', '/teams', { name: 'Storage' });
  });

  it('an admin adds a rule in the browser; a matching alert becomes a disturbance; a broken payload shows up refused, with its reason', async () => {
    const admin = await signedIn(browser, fb.url, 'router@e2e.test');
    const page = admin.page;
    await page.goto(`${fb.url}/admin/integrations`);
    await page.getByLabel('Name', { exact: true }).fill('Storage monitor');
    await page.getByLabel('Source').selectOption('generic');
    await page.getByRole('button', { name: 'Add integration' }).click();
    const curl = (await page.getByTestId('integration-curl').textContent()) ?? '';
    const token = /Bearer ([^\s'"]+)/.exec(curl)?.[1] as string;
    const path = /(\/api\/v1\/integrations\/[0-9a-f-]+\/alerts)/.exec(curl)?.[1] as string;
    expect(token && path).toBeTruthy();

    // The new integration is chosen: no rules yet. Add "severity=warning → disturbance".
    const rules = page.getByRole('region', { name: 'Routing rules' });
    await rules.getByText('No rules yet').waitFor();
    await rules.getByRole('button', { name: 'Add a rule' }).click();
    await rules.getByLabel('Rule name (optional)').fill('Warnings are disturbances');
    await rules.getByRole('checkbox', { name: 'warning' }).check();
    await rules.getByRole('radio', { name: 'Record a disturbance' }).check();
    await rules.getByLabel('Promote after more than (alerts)').fill('10');
    await rules.getByLabel('… within (minutes)').fill('15');
    expect(await rules.getByTestId('rule-preview').textContent()).toMatch(
      /^Alerts with severity=warning are recorded as a disturbance, .*promoted to an incident when more than 10 alerts fire within 15 minutes/,
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'admin-integration-rule-form');
    expect(await accessibilityProblems(page)).toEqual([]);
    await rules.getByRole('button', { name: 'Save rule' }).click();
    await rules.getByText('1. Warnings are disturbances').waitFor();

    // A second rule, added last, then moved to the top: staging is noise.
    await rules.getByRole('button', { name: 'Add a rule' }).click();
    await rules.getByRole('button', { name: 'Add a label' }).click();
    await rules.getByLabel('Label 1 name').fill('env');
    await rules.getByLabel('Label 1 values').fill('staging, test');
    await rules.getByRole('radio', { name: 'Ignore (no ticket)' }).check();
    await rules.getByRole('button', { name: 'Save rule' }).click();
    await rules.getByRole('button', { name: 'Move up rule 2' }).click();
    const items = rules.locator('.rule-item');
    await expect.poll(() => items.first().textContent()).toContain('Alerts with env=staging or test are ignored');
    expect(await items.nth(1).textContent()).toContain('Warnings are disturbances');
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky top bar stays on top of a full-page shot
    await screenshot(page, 'admin-integration-rules');
    expect(await accessibilityProblems(page)).toEqual([]);

    // Deleting a rule asks first; cancelling keeps it.
    await rules.getByRole('button', { name: 'Delete rule 1' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete rule 1?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect(await items.count()).toBe(2);
    await rules.getByRole('button', { name: 'Delete rule 1' }).click();
    await confirm.getByRole('button', { name: 'Delete rule' }).click();
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().textContent()).toContain('Warnings are disturbances');

    // Alerts no rule matches would open incidents with no team: they get a default team, kept as a last rule.
    const fallback = rules.getByRole('form', { name: 'Alerts no rule matches' });
    await fallback.getByText('no team and no service').waitFor();
    await fallback.getByLabel('Default team').selectOption({ label: 'Storage' });
    await fallback.getByRole('button', { name: 'Add as the last rule' }).click();
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.nth(1).textContent()).toContain('Everything else');
    await rules.getByText('The last rule matches every alert').waitFor();
    await screenshot(page, 'admin-integration-default-route');

    // An alert that matches the warning rule opens a disturbance, not an incident.
    const send = (body: string) =>
      fetch(`${fb.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
    const accepted = await send(
      JSON.stringify({
        summary: 'Disk latency rising on san-2',
        severity: 'warning',
        labels: { alertname: 'DiskSlow', service: 'storage' },
      }),
    );
    expect(accepted.status).toBe(202);
    const [alert] = ((await accepted.json()) as { alerts: { action: string; ticketId: string }[] }).alerts;
    expect(alert.action).toBe('disturbance');
    const ticket = await fb.api('GET', `/tickets/${alert.ticketId}`);
    expect(ticket).toMatchObject({ kind: 'disturbance', number: expect.stringMatching(/^DST\d{7}$/) });
    await page.goto(`${fb.url}/tickets/${alert.ticketId}`);
    await page.getByText(ticket.number).first().waitFor();

    // An alert no other rule matches opens an incident for the default team.
    const unmatched = await send(
      JSON.stringify({ summary: 'Backup job failed', severity: 'critical', labels: { alertname: 'BackupFailed' } }),
    );
    expect(unmatched.status).toBe(202);
    const [other] = ((await unmatched.json()) as { alerts: { action: string; ticketId: string }[] }).alerts;
    expect(other.action).toBe('incident');
    expect((await fb.api('GET', `/tickets/${other.ticketId}`)).team).toMatchObject({ name: 'Storage' });

    // A broken payload (with markup in it) is refused with 400 and listed with its reason, as text.
    const broken = await send('{"summary": "<img src=x onerror=alert(1)> disk", "severity": ');
    expect(broken.status).toBe(400);
    await page.goto(`${fb.url}/admin/integrations`);
    await page.getByRole('button', { name: 'Rules and refusals of Storage monitor' }).click();
    const refused = page.getByRole('region', { name: 'Refused deliveries' });
    await refused.getByText('The body is not valid JSON.').waitFor();
    expect(await refused.locator('pre.excerpt').first().textContent()).toBe(
      '{"summary": "<img src=x onerror=alert(1)> disk", "severity": ',
    );
    expect(await refused.locator('img').count()).toBe(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'admin-integration-refused');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 120_000);
});
