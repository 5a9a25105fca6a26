import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityProblems,
  addPerson,
  browserTestsOff,
  expectFitsPhone,
  type Firebreak,
  PHONE,
  screenshot,
  settled,
  signedIn,
  useFirebreak,
} from './harness.js';

/** Every staff page at 390 px, and the confirmations that stand before irreversible admin actions. */
describe.skipIf(browserTestsOff)('staff pages on a phone, and confirmations', () => {
  let fb: Firebreak;
  let browser: Browser;
  // biome-ignore lint/suspicious/noExplicitAny: tests read API answers loosely
  let ticket: any;

  beforeAll(async () => {
    // The check below names a port on this machine, which checks may reach only when allowed.
  });
  useFirebreak({ FIREBREAK_ALLOW_PRIVATE_TARGETS: '127.0.0.1' }, async (started) => {
    ({ fb, browser } = started);
    await addPerson(fb, 'boss@e2e.test', 'Ada Admin', 'admin');
    await addPerson(fb, 'agent@e2e.test', 'Alex Agent', 'agent');
    await addPerson(fb, 'kim@e2e.test', 'Kim Keeper-Of-A-Rather-Long-Name', 'agent');
    await fb.api('POST', '/teams', { name: 'Service Desk' });
    await fb.api('POST', '/services', { name: 'Payroll' });
    await fb.api('POST', '/integrations', { name: 'Prometheus production', source: 'alertmanager' });
    await fb.api('POST', '/checks', { name: 'Intranet home page', kind: 'http', target: 'http://127.0.0.1:9/', intervalSeconds: 3600 });
    // A desk's ordinary morning: fourteen different problems with long titles (similar ones would
    // rightly raise a storm proposal above the queue; storms have their own tests).
    const problems = [
      'Laptop will not connect to the office Wi-Fi after the weekend update',
      'Printer on the third floor prints blank pages since the toner change',
      'Payroll export to the bank fails with an unexplained timeout error',
      'Cannot open shared calendar of the sales team in the mail client',
      'Monitor flickers every few seconds when docked at the hot desk',
      'New starter needs access to the finance reporting dashboards today',
      'Password reset e-mail never arrives for the self-service portal',
      'Teams meeting rooms show the wrong time zone in the booking panel',
      'Scanner saves documents as empty PDF files on the network share',
      'Mobile phone stopped syncing contacts after the security policy push',
      'VPN client asks for a certificate on every connection attempt',
      'Spreadsheet macros are blocked by the new document protection rule',
      'Keyboard missing several keys on the reception desk computer',
      'Expense app crashes when attaching photos of receipts on iOS',
    ];
    for (let i = 1; i <= 14; i++) {
      ticket = await fb.api('POST', '/tickets', {
        title: problems[i - 1],
        impact: (i % 3) + 1,
        urgency: ((i + 1) % 3) + 1,
      });
    }
  });

  it('fits every staff page into 390 px without sideways scrolling, each looked at in a screenshot', async () => {
    const admin = await signedIn(browser, fb.url, 'boss@e2e.test', { viewport: PHONE });
    const pages = [
      '/desk/queue/open',
      `/desk/tickets/${ticket.id}`,
      '/on-call',
      '/monitoring',
      ...[
        'users',
        'teams',
        'services',
        'categories',
        'priority-matrix',
        'slas',
        'on-call',
        'integrations',
        'email',
        'failed-work',
        'tokens',
      ].map((s) => `/admin/${s}`),
      '/portal',
      '/portal/report',
      '/portal/request',
      '/settings',
    ];
    const problems: string[] = [];
    for (const path of pages) {
      await admin.page.goto(`${fb.url}${path}`);
      await admin.page.locator('h1').first().waitFor();
      await settled(admin.page);
      await screenshot(admin.page, `phone-staff${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ticket').replace(/\//g, '-')}`);
      await expectFitsPhone(admin.page).catch((err: Error) => problems.push(err.message));
    }
    expect(problems).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 240_000);

  it('shows at least six tickets above the fold in the phone queue', async () => {
    const agent = await signedIn(browser, fb.url, 'agent@e2e.test', { viewport: PHONE });
    await agent.page.goto(`${fb.url}/desk/queue/open`);
    const rows = agent.page.locator('[data-ticket-id]');
    await rows.first().waitFor();
    const tops = await rows.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().bottom));
    expect(tops.filter((bottom) => bottom <= PHONE.height).length).toBeGreaterThanOrEqual(6);
    await screenshot(agent.page, 'phone-queue-compact');
    expect(await accessibilityProblems(agent.page)).toEqual([]);
    await agent.context.close();
  }, 120_000);

  it('asks before changing a role or deactivating a person: Cancel changes nothing, confirming does it', async () => {
    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    const page = admin.page;
    await page.goto(`${fb.url}/admin/users`);
    const kimId = (await fb.api('GET', '/users?q=kim')).items[0].id;
    const role = page.getByLabel('Role of Kim Keeper-Of-A-Rather-Long-Name');
    await role.selectOption('admin');
    const dialog = page.getByRole('dialog', { name: 'Make Kim Keeper-Of-A-Rather-Long-Name an Admin?' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'confirm-role-change');
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await role.inputValue()).toBe('agent');
    expect((await fb.api('GET', `/users/${kimId}`)).role).toBe('agent');

    await role.selectOption('manager');
    await page
      .getByRole('dialog', { name: 'Make Kim Keeper-Of-A-Rather-Long-Name a Manager?' })
      .getByRole('button', { name: 'Change the role' })
      .click();
    await expect.poll(async () => (await fb.api('GET', `/users/${kimId}`)).role).toBe('manager');
    await expect.poll(() => role.inputValue()).toBe('manager');

    // Escape is a cancel too.
    await page.getByRole('button', { name: 'Deactivate Kim Keeper-Of-A-Rather-Long-Name' }).click();
    const deactivate = page.getByRole('dialog', { name: 'Deactivate Kim Keeper-Of-A-Rather-Long-Name?' });
    await deactivate.waitFor();
    await page.keyboard.press('Escape');
    await deactivate.waitFor({ state: 'hidden' });
    expect((await fb.api('GET', `/users/${kimId}`)).active).toBe(true);
    await page.getByRole('button', { name: 'Deactivate Kim Keeper-Of-A-Rather-Long-Name' }).click();
    await deactivate.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('button', { name: 'Reactivate Kim Keeper-Of-A-Rather-Long-Name' }).waitFor();
    expect((await fb.api('GET', `/users/${kimId}`)).active).toBe(false);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 120_000);

  it('asks before revoking an integration or deleting a check', async () => {
    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    const page = admin.page;
    await page.goto(`${fb.url}/admin/integrations`);
    await page.getByRole('button', { name: 'Rules and refusals of Prometheus production' }).click();
    await page.getByRole('button', { name: 'Revoke Prometheus production' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke Prometheus production?' });
    await revoke.getByRole('button', { name: 'Cancel' }).click();
    await revoke.waitFor({ state: 'hidden' });
    expect((await fb.api('GET', '/integrations')).items[0].active).toBe(true);
    await page.getByRole('button', { name: 'Revoke Prometheus production' }).click();
    await revoke.getByRole('button', { name: 'Revoke integration' }).click();
    await revoke.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await fb.api('GET', '/integrations')).items[0].active).toBe(false);

    await page.goto(`${fb.url}/monitoring`);
    await page.getByRole('button', { name: 'Delete Intranet home page' }).click();
    const del = page.getByRole('dialog', { name: 'Delete Intranet home page?' });
    await del.getByRole('button', { name: 'Cancel' }).click();
    await del.waitFor({ state: 'hidden' });
    expect((await fb.api('GET', '/checks')).items).toHaveLength(1);
    await page.getByRole('button', { name: 'Delete Intranet home page' }).click();
    await del.getByRole('button', { name: 'Delete check' }).click();
    await expect.poll(async () => (await fb.api('GET', '/checks')).items.length).toBe(0);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 120_000);
});
