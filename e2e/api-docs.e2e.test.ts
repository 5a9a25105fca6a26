import path from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../server/test/database.js';
import { ARTIFACTS, browserTestsOff, type Firebreak, screenshot, useFirebreak } from './harness.js';

/**
 * The API docs page under its Content-Security-Policy (issue 11, finding 16): swagger-ui still
 * renders every operation, and the browser reports no blocked script, style or request.
 */
describe.skipIf(browserTestsOff)('the API docs page in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;

  useFirebreak({ FIREBREAK_WEB_UI: 'off' }, async (started) => {
    ({ fb, browser } = started);
  });

  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`renders under its CSP at ${viewport.width} px`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) problems.push(message.text());
      });
      const res = await page.goto(`${fb.url}/api/v1/docs/`);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      // Every section is listed, closed; opening one shows its operations.
      await page.locator('.opblock-tag').first().waitFor();
      expect(await page.locator('.opblock-tag').count()).toBeGreaterThanOrEqual(14);
      await page.locator('.opblock-tag', { hasText: 'tickets' }).first().click();
      await expect.poll(() => page.locator('.opblock').count()).toBeGreaterThan(15);
      // Opening an operation works too (swagger-ui's own scripts and styles at work).
      await page.locator('.opblock-summary').first().click();
      await page.locator('.opblock-body').first().waitFor();
      await screenshot(page, `api-docs-${viewport.width}`);
      // The first screen alone, to look at (the whole page is thousands of pixels tall).
      await page.screenshot({ path: path.join(ARTIFACTS, testEngine(), `api-docs-${viewport.width}-top.png`) });
      // No horizontal scroll at either width.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
