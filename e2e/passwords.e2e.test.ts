import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  accessibilityProblems,
  addPerson,
  browserTestsOff,
  type Firebreak,
  PASSWORD,
  screenshot,
  signedIn,
  useFirebreak,
} from './harness.js';

const PHONE = { width: 390, height: 844 };

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function signInWith(page: Page, url: string, email: string, password: string) {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe.skipIf(browserTestsOff)('changing and resetting passwords, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;

  useFirebreak({}, async (started) => {
    ({ fb, browser } = started);
    await addPerson(fb, 'boss@e2e.test', 'Ada Admin', 'admin');
    await addPerson(fb, 'agent@e2e.test', 'Alex Agent', 'agent');
    await addPerson(fb, 'rita@e2e.test', 'Rita Requester', 'requester');
  });

  it('lets a person change their own password in Settings; their other browser is signed out, this one stays', async () => {
    const elsewhere = await signedIn(browser, fb.url, 'rita@e2e.test');
    for (const [viewport, label] of [
      [PHONE, '390'],
      [{ width: 1440, height: 900 }, '1440'],
    ] as const) {
      const rita = await signedIn(browser, fb.url, 'rita@e2e.test', { viewport });
      await rita.page.goto(`${fb.url}/settings`);
      await rita.page.getByRole('heading', { name: 'Change your password' }).waitFor();
      expect(await horizontalOverflow(rita.page)).toBeLessThanOrEqual(0);
      await screenshot(rita.page, `settings-password-${label}`);
      expect(await accessibilityProblems(rita.page)).toEqual([]);
      await rita.context.close();
    }

    const rita = await signedIn(browser, fb.url, 'rita@e2e.test', { viewport: PHONE });
    await rita.page.goto(`${fb.url}/settings`);
    await rita.page.getByLabel('Current password').fill('not my password at all');
    await rita.page.getByLabel('New password', { exact: true }).fill('rita has a new passphrase');
    await rita.page.getByLabel('New password again').fill('rita has a new passphrase');
    await rita.page.getByRole('button', { name: 'Change password' }).click();
    await rita.page.getByText('is not your current password').waitFor();
    await screenshot(rita.page, 'settings-password-wrong-390');

    await rita.page.getByLabel('Current password').fill(PASSWORD);
    await rita.page.getByRole('button', { name: 'Change password' }).click();
    await rita.page.getByText('Your password is changed. Other browsers were signed out.').waitFor();
    await screenshot(rita.page, 'settings-password-changed-390');
    // This browser stays signed in; the other one is sent to sign in.
    await rita.page.goto(`${fb.url}/portal`);
    await rita.page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(new URL(rita.page.url()).pathname).toBe('/portal');
    await elsewhere.page.goto(`${fb.url}/portal`);
    await elsewhere.page.waitForURL((u) => u.pathname === '/sign-in');
    expect(rita.errors).toEqual([]);
    await rita.context.close();
    await elsewhere.context.close();

    const again = await browser.newContext();
    const page = await again.newPage();
    await signInWith(page, fb.url, 'rita@e2e.test', 'rita has a new passphrase');
    await page.waitForURL((u) => u.pathname.startsWith('/portal'));
    await again.close();
  }, 120_000);

  it('lets an admin reset a password to a temporary one; the person must choose a new one before anything else', async () => {
    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    await admin.page.goto(`${fb.url}/admin/users`);
    await admin.page.getByRole('button', { name: 'Reset password of Alex Agent' }).click();
    await admin.page.getByRole('dialog', { name: 'Reset the password of Alex Agent' }).waitFor();
    expect(await admin.page.getByLabel('Also revoke their API tokens').isChecked()).toBe(true);
    await screenshot(admin.page, 'admin-reset-password-1440');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    await admin.page.getByRole('dialog').getByRole('button', { name: 'Reset password' }).click();
    const shown = admin.page.getByTestId('temporary-password');
    await shown.waitFor();
    const temporary = (await shown.textContent())?.trim() ?? '';
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await screenshot(admin.page, 'admin-reset-password-done-1440');
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    await admin.page.getByRole('button', { name: 'Done' }).click();
    expect(admin.errors).toEqual([]);
    await admin.context.close();
    // The same page on a phone: the reset is reachable, and the page does not scroll sideways.
    const phoneAdmin = await signedIn(browser, fb.url, 'boss@e2e.test', { viewport: PHONE });
    await phoneAdmin.page.goto(`${fb.url}/admin/users`);
    await phoneAdmin.page.getByRole('button', { name: 'Reset password of Rita Requester' }).click();
    await phoneAdmin.page.getByRole('dialog', { name: 'Reset the password of Rita Requester' }).waitFor();
    expect(await horizontalOverflow(phoneAdmin.page)).toBeLessThanOrEqual(0);
    await screenshot(phoneAdmin.page, 'admin-reset-password-390');
    expect(await accessibilityProblems(phoneAdmin.page)).toEqual([]);
    await phoneAdmin.page.getByRole('button', { name: 'Cancel' }).click();
    // Admins change their own password in Settings: no reset button on their own row.
    expect(await phoneAdmin.page.getByRole('button', { name: 'Reset password of Ada Admin' }).count()).toBe(0);
    await phoneAdmin.context.close();

    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // The old password no longer works, and the page says what to do.
    await signInWith(page, fb.url, 'agent@e2e.test', PASSWORD);
    await page.getByText('The e-mail address or password is not right.').waitFor();
    await page.getByText('Ask an admin to reset it').waitFor();
    await screenshot(page, 'sign-in-wrong-390');

    await page.getByLabel('Password').fill(temporary);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/choose-password');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'choose-password-390');
    expect(await accessibilityProblems(page)).toEqual([]);
    // Going elsewhere first is not possible: the app sends the person back.
    await page.goto(`${fb.url}/desk`);
    await page.waitForURL((u) => u.pathname === '/choose-password');

    await page.getByLabel('Temporary password (from your admin)').fill(temporary);
    await page.getByLabel('New password', { exact: true }).fill('alex picks his own words');
    await page.getByLabel('New password again').fill('alex picks his own words');
    await page.getByRole('button', { name: 'Save my new password' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/desk'));
    expect(errors).toEqual([]);
    await context.close();

    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const deskPage = await desk.newPage();
    await signInWith(deskPage, fb.url, 'agent@e2e.test', 'alex picks his own words');
    await deskPage.waitForURL((u) => u.pathname.startsWith('/desk'));
    await desk.close();
  }, 120_000);
});
