import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityProblems, addPerson, browserTestsOff, type Firebreak, screenshot, signedIn, useFirebreak } from './harness.js';

describe.skipIf(browserTestsOff)('monitoring integrations and alerts, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    await addPerson(fb, 'boss@e2e.test', 'Ada Admin', 'admin');
  });

  it('adds an integration with its token shown once; its alerts become one incident with a counter, shown on the ticket', async () => {
    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    await admin.page.goto(`${fb.url}/admin/integrations`);
    await admin.page.getByLabel('Name', { exact: true }).fill('Generic monitor');
    await admin.page.getByLabel('Source').selectOption('generic');
    await admin.page.getByRole('button', { name: 'Add integration' }).click();
    const curl = (await admin.page.getByTestId('integration-curl').textContent()) ?? '';
    await screenshot(admin.page, 'admin-integrations');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    const token = /Bearer ([^\s'"]+)/.exec(curl)?.[1];
    const path = /(\/api\/v1\/integrations\/[0-9a-f-]+\/alerts)/.exec(curl)?.[1];
    expect(token && path).toBeTruthy();
    // Copy-paste ready: the curl holds this Firebreak's own address, not an unset $FIREBREAK_URL.
    expect(curl).toContain(`"${fb.url}/api/v1/integrations/`);
    expect(curl).not.toContain('$FIREBREAK_URL');

    // The same alert three times: one alert row counting 3, one incident.
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${fb.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          summary: 'Checkout latency above 2 s',
          fingerprint: 'checkout-latency',
          severity: 'critical',
          labels: { alertname: 'HighLatency' },
        }),
      });
      expect(res.status).toBe(202);
    }
    await admin.page.goto(`${fb.url}/monitoring`);
    const row = admin.page.getByRole('row', { name: /Checkout latency above 2 s/ });
    await row.waitFor();
    expect(await row.getByRole('cell', { name: '3', exact: true }).count()).toBe(1);
    await screenshot(admin.page, 'monitoring');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    await row.getByRole('link', { name: /^INC\d{7}$/ }).click();
    await admin.page.getByRole('heading', { name: /Alerts \(1\)/ }).waitFor();
    await screenshot(admin.page, 'desk-ticket-alerts');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 90_000);
});
