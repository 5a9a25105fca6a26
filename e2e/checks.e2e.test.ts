import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, addPerson, browserTestsOff, type Firebreak, screenshot, signedIn, useFirebreak } from './harness.js';

describe.skipIf(browserTestsOff)('built-in checks, edited and watched in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  // The service under watch: a loopback HTTP server this test runs, answering as told.
  let target: Server;
  let targetUrl: string;
  const answer = { status: 200, body: 'status: ok' };

  beforeAll(async () => {
    target = createServer((_req, res) => res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
    // The watched service is on loopback, which checks may reach only when the operator allows it.
  });
  useFirebreak({ FIREBREAK_ALLOW_PRIVATE_TARGETS: '127.0.0.1' }, async (started) => {
    ({ fb, browser } = started);
    await addPerson(fb, 'boss@e2e.test', 'Ada Admin', 'admin');
    await addPerson(fb, 'agent@e2e.test', 'Alex Agent', 'agent');
  });

  afterAll(async () => {
    await new Promise((r) => target?.close(r));
  });

  /** The check's entry on the Monitoring page, found by its heading. */
  const checkItem = (page: Page, name: string) =>
    page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });

  /** "Check now" runs the next probe at once through the server's job runner: no waiting for the interval. */
  async function checkNow(page: Page, name: string, expectState: string) {
    const item = checkItem(page, name);
    const before = await item.locator('time').getAttribute('datetime');
    await item.getByRole('button', { name: `Check now ${name}` }).click();
    await item.locator(`time:not([datetime="${before}"])`).waitFor();
    await item.getByText(expectState, { exact: true }).waitFor();
  }

  it('an admin adds an HTTP check; its history and chart appear; a failing target shows down and opens an incident', async () => {
    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    const page = admin.page;
    await page.goto(`${fb.url}/monitoring`);
    await page.getByRole('button', { name: 'Add check' }).click();
    const form = page.getByRole('form', { name: 'Add a check' });
    // A bad URL is refused, naming the field; nothing is created.
    await form.getByLabel('Name').fill('Shop health');
    await form.getByLabel('URL').fill('ftp://127.0.0.1/');
    await form.getByRole('button', { name: 'Add check' }).click();
    await form.getByText('must be an http:// or https:// URL', { exact: true }).waitFor();
    // A private address (here cloud metadata) is refused with the reason and the way to allow it.
    await form.getByLabel('URL').fill('http://169.254.169.254/latest/meta-data/');
    await form.getByRole('button', { name: 'Add check' }).click();
    await form
      .getByText(
        'The address 169.254.169.254 is on a link-local network, where cloud metadata services answer; allow it with FIREBREAK_ALLOW_PRIVATE_TARGETS',
        { exact: true },
      )
      .waitFor();
    await screenshot(page, 'checks-form-private-target');
    await form.getByLabel('URL').fill(targetUrl);
    await form.getByLabel('Keyword').fill('ok');
    await form.getByLabel('Every (seconds)').fill('60');
    await screenshot(page, 'checks-form');
    expect(await accessibilityProblems(page)).toEqual([]);
    await form.getByRole('button', { name: 'Add check' }).click();
    await form.waitFor({ state: 'detached' });

    // The first probe runs as soon as the check exists; a second makes a chart.
    const item = checkItem(page, 'Shop health');
    await item.getByText('Up', { exact: true }).waitFor();
    await checkNow(page, 'Shop health', 'Up');
    await item.getByRole('img', { name: /Shop health: last 2 probes, response time .* ms, 0 failed/ }).waitFor();
    await item.getByText(/Failed 0 of the last 2 probes/).waitFor();

    // The target starts failing: one failure is "failing", two in a row are "down" and open an incident.
    answer.status = 503;
    await checkNow(page, 'Shop health', 'Failing');
    await item.getByText(/1 of 2 failures in a row before it counts as down/).waitFor();
    await checkNow(page, 'Shop health', 'Down');
    await item.getByRole('img', { name: /last 4 probes, .* 2 failed/ }).waitFor();
    // The chart reads on its own: a millisecond scale from 0, and a key naming the failed probes' marks.
    expect(await item.locator('.latency-chart-scale').textContent()).toMatch(/^\d+(\.\d+)? ms.* ms0 ms$/);
    await item.getByText('failed probe').waitFor();
    const alertRow = page.getByRole('row', { name: /Shop health is down: HTTP 503, expected 2xx or 3xx/ });
    await alertRow.waitFor();
    await screenshot(page, 'checks-down');
    expect(await accessibilityProblems(page)).toEqual([]);

    await alertRow.getByRole('link', { name: /^INC\d{7}$/ }).click();
    await page.getByRole('heading', { name: /Alerts \(1\)/ }).waitFor();
    await page
      .getByText(/INC\d{7}/)
      .first()
      .waitFor();
    await screenshot(page, 'checks-incident');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 120_000);

  it('agents see the checks and may check now, but not change them; an admin pauses, resumes, edits and deletes', async () => {
    answer.status = 200;
    const agent = await signedIn(browser, fb.url, 'agent@e2e.test');
    await agent.page.goto(`${fb.url}/monitoring`);
    const seen = checkItem(agent.page, 'Shop health');
    await seen.waitFor();
    await checkNow(agent.page, 'Shop health', 'Up');
    expect(await agent.page.getByRole('button', { name: 'Add check' }).count()).toBe(0);
    for (const action of ['Edit', 'Pause', 'Delete'])
      expect(await seen.getByRole('button', { name: new RegExp(`^${action}`) }).count()).toBe(0);
    expect(agent.errors).toEqual([]);
    await agent.context.close();

    const admin = await signedIn(browser, fb.url, 'boss@e2e.test');
    const page = admin.page;
    await page.goto(`${fb.url}/monitoring`);
    const item = checkItem(page, 'Shop health');
    await item.getByRole('button', { name: 'Pause Shop health' }).click();
    await item.getByText('Paused', { exact: true }).waitFor();
    expect(await item.getByRole('button', { name: /Check now/ }).count()).toBe(0);
    await item.getByRole('button', { name: 'Resume Shop health' }).click();
    await item.getByText(/^(Up|Waiting for its first probe)$/).waitFor();

    await item.getByRole('button', { name: 'Edit Shop health' }).click();
    const form = page.getByRole('form', { name: 'Edit Shop health' });
    await form.getByLabel('Name').fill('Shop front');
    await form.getByLabel('Failures in a row before down').fill('0');
    await form.getByRole('button', { name: 'Save check' }).click();
    await form.getByText('must be 1 to 10', { exact: true }).waitFor();
    await form.getByLabel('Failures in a row before down').fill('3');
    await form.getByRole('button', { name: 'Save check' }).click();
    await form.waitFor({ state: 'detached' });
    const renamed = checkItem(page, 'Shop front');
    await renamed.getByText('Up', { exact: true }).waitFor();

    await renamed.getByRole('button', { name: 'Delete Shop front' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Shop front?' });
    await dialog.waitFor();
    await screenshot(page, 'checks-delete-confirm');
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await renamed.waitFor();
    await renamed.getByRole('button', { name: 'Delete Shop front' }).click();
    await dialog.getByRole('button', { name: 'Delete check' }).click();
    await renamed.waitFor({ state: 'detached' });
    await page.getByText('No built-in checks').waitFor();
    expect((await fb.api('GET', '/checks')).items).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 120_000);
});
