import { describe, expect, it } from 'vitest';
import { useDesk } from './desk.js';
import { accessibilityProblems, browserTestsOff, expectFitsPhone, PHONE, screenshot } from './harness.js';

const STAFF_WORKAROUND = 'On vpn-gw-02 run renew-client-cert.sh for the user, then clear the CRL cache.';
const PUBLIC_WORKAROUND = 'If the VPN app says your certificate has expired, choose “Renew certificate” in its menu and sign in again.';

/** An instant `days` from now at `hour` UTC, and its day (the calendar's week parameter); the browser runs in UTC. */
function planned(days: number, hour: number): { iso: string; day: string } {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hour, 0, 0, 0);
  const iso = d.toISOString();
  return { iso, day: iso.slice(0, 10) };
}

/**
 * Issue 17, the rest, in a real browser: staff write a known error's workaround for requesters,
 * and a requester reporting the problem sees that text alone beside the form, presses "This solved
 * it" and files nothing while the problem's page counts it; requesters browse
 * and search the help articles; a draft change is edited and linked from its page, its calendar
 * warns of a clash, and the page offers no Escalate or Page on-call.
 */
describe.skipIf(browserTestsOff)('known errors and help for requesters, changes on the desk', () => {
  let problem: { id: string; number: string };
  let vpn: string;

  const seeded = useDesk(
    {
      'pia@e2e.test': ['Pia Problem', 'agent'],
      'rob@e2e.test': ['Rob Requester', 'requester'],
    },
    async ({ fb }) => {
      const network = await fb.api('POST', '/services', { name: 'Network' });
      vpn = (await fb.api('POST', '/services', { name: 'VPN', dependsOnIds: [network.id] })).id;
      const printing = await fb.api('POST', '/services', { name: 'Printing' });
      const remote = await fb.api('POST', '/categories', { name: 'Remote access' });
      const publish = async (title: string, body: string, fields: Record<string, unknown>) => {
        const a = await fb.api('POST', '/articles', { title, body, ...fields });
        await fb.api('POST', `/articles/${a.id}/transitions`, { to: 'published' });
      };
      await publish('Renew your VPN certificate', 'Open the VPN app, choose **Renew certificate**, sign in again.', {
        serviceIds: [vpn],
        categoryIds: [remote.id],
      });
      await publish('Printer shows offline', 'Switch it off and on; check the cable.', { serviceIds: [printing.id] });
      problem = await fb.api('POST', '/problems', { title: 'VPN client certificates expire unrenewed', serviceId: vpn });
      await fb.api('PATCH', `/problems/${problem.id}`, { workaround: STAFF_WORKAROUND });
      await fb.api('PUT', `/problems/${problem.id}/known-error`);
    },
  );

  it('shows requesters the workaround written for them, alone, beside their report, counts "This solved it" on the problem; and lets them browse help articles', async () => {
    const { fb } = seeded;
    const pia = await seeded.signIn('pia@e2e.test');
    const desk = pia.page;
    await desk.goto(`${fb.url}/desk/tickets/${problem.id}`);
    const panel = desk.getByTestId('problem-panel');
    await panel.getByLabel('Workaround for requesters').fill(PUBLIC_WORKAROUND);
    await panel.getByRole('button', { name: 'Save workaround for requesters' }).click();
    await panel.getByRole('button', { name: 'Save workaround for requesters' }).waitFor({ state: 'detached' });
    await desk.getByText('changed workaround for requesters').first().waitFor();
    await screenshot(desk, 'problem-public-workaround');

    const rob = await seeded.signIn('rob@e2e.test');
    const portal = rob.page;
    await portal.goto(`${fb.url}/portal/report`);
    await portal.getByLabel('What happened?').fill('vpn certificate error');
    const known = portal.getByTestId('known-error-suggestions');
    await known.getByText(PUBLIC_WORKAROUND).waitFor();
    expect(await known.innerText()).toContain('A known problem with VPN');
    // The desk's own words never reach the requester's page.
    const page = await portal.content();
    expect(page).not.toContain(STAFF_WORKAROUND);
    expect(page).not.toContain('VPN client certificates expire unrenewed');
    expect(page).not.toContain(problem.number);
    await portal.getByRole('complementary', { name: 'Articles that may help' }).getByText('Renew your VPN certificate').waitFor();
    expect(await accessibilityProblems(portal)).toEqual([]);
    await screenshot(portal, 'portal-known-error-deflection');
    await portal.setViewportSize(PHONE);
    await screenshot(portal, 'portal-known-error-deflection-phone');
    await expectFitsPhone(portal);
    // Every link of the requester's top navigation is in sight at 390 px, none cut or scrolled away.
    for (const link of await portal.getByRole('navigation', { name: 'Main' }).getByRole('link').all()) {
      const box = await link.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= PHONE.width, await link.innerText()).toBe(true);
    }
    await portal.setViewportSize({ width: 1440, height: 900 });

    // "This solved it" on the workaround: the report ends without a ticket, and the problem counts it.
    await known.getByRole('button', { name: /This solved it/ }).click();
    await portal.waitForURL(/\/portal$/);
    await portal.getByText('The workaround for the known problem with VPN helped.').waitFor();
    await screenshot(portal, 'portal-known-error-solved');
    const filed = (await fb.api('GET', '/tickets')).items as { kind: string }[];
    expect(filed.filter((t) => t.kind !== 'problem')).toEqual([]);
    await desk.reload();
    await panel.getByTestId('known-error-solved-count').getByText('solved 1 report without a ticket').waitFor();
    await screenshot(desk, 'problem-known-error-solved-count');

    // Help articles: every published article, then one service's, then a search within it.
    await portal.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Help articles' }).click();
    const list = portal.getByTestId('help-articles');
    await list.getByRole('link', { name: 'Printer shows offline' }).waitFor();
    await list.getByRole('link', { name: 'Renew your VPN certificate' }).waitFor();
    await portal.getByLabel('Service').selectOption({ label: 'VPN' });
    await list.getByRole('link', { name: 'Printer shows offline' }).waitFor({ state: 'detached' });
    await portal.getByLabel('Search').fill('certificate');
    await list.locator('mark', { hasText: 'certificate' }).first().waitFor();
    expect(await accessibilityProblems(portal)).toEqual([]);
    await screenshot(portal, 'portal-help-articles');
    await portal.setViewportSize(PHONE);
    await screenshot(portal, 'portal-help-articles-phone');
    await expectFitsPhone(portal);
    await portal.setViewportSize({ width: 1440, height: 900 });
    await list.getByRole('link', { name: /Renew your VPN certificate/ }).click();
    await portal.getByRole('heading', { name: 'Renew your VPN certificate' }).waitFor();
    await portal.getByRole('link', { name: '← Help articles' }).click();
    // Back on the list with its filters kept in the address.
    await list.locator('mark', { hasText: 'certificate' }).first().waitFor();
    expect(await portal.getByLabel('Search').inputValue()).toBe('certificate');

    expect(pia.errors).toEqual([]);
    expect(rob.errors).toEqual([]);
    await rob.context.close();
    await pia.context.close();
  }, 180_000);

  it('edits and links a draft change from its page, and the calendar warns of the clash', async () => {
    const { fb } = seeded;
    const start = planned(3, 20);
    const end = planned(3, 22);
    const plan = {
      type: 'normal',
      risk: 'medium',
      plannedStart: start.iso,
      plannedEnd: end.iso,
      implementationPlan: 'Install the ACME client on both gateways.',
      testPlan: 'Connect from the test laptop.',
      backoutPlan: 'Reinstall the manual certificate.',
    };
    const draft = await fb.api('POST', '/changes', { title: 'Automate VPN certificates', serviceId: vpn, ...plan });
    const other = await fb.api('POST', '/changes', { title: 'VPN gateway firmware', serviceId: vpn, ...plan });

    const pia = await seeded.signIn('pia@e2e.test', { browserTimeZone: 'UTC' });
    const page = pia.page;
    await page.goto(`${fb.url}/desk/tickets/${draft.id}`);
    const panel = page.getByTestId('change-panel');
    await panel.getByRole('button', { name: 'Edit draft…' }).waitFor();
    // A change is planned work: no escalation and no paging on its page.
    await page.getByRole('button', { name: 'Edit fields…' }).waitFor();
    expect(await page.getByRole('button', { name: 'Escalate…' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Page on-call…' }).count()).toBe(0);
    await panel.getByText(`${other.number}`).first().waitFor();

    await panel.getByRole('button', { name: 'Edit draft…' }).click();
    const form = panel.getByRole('form', { name: 'Edit the draft' });
    expect(await form.getByLabel('Title').inputValue()).toBe('Automate VPN certificates');
    await form.getByLabel('Title').fill('Automate VPN certificate renewal');
    await form.getByRole('radio', { name: 'High risk' }).check();
    await form.getByLabel('Backout plan').fill('Reinstall the manual certificate from the vault.');
    await screenshot(page, 'change-edit-draft');
    await form.getByRole('button', { name: 'Save the draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Automate VPN certificate renewal' }).waitFor();
    await panel.getByText('Reinstall the manual certificate from the vault.').waitFor();
    expect(await panel.innerText()).toContain('High risk');

    await panel.getByLabel('Link a problem or incident by number').fill(problem.number);
    await panel.getByRole('button', { name: 'Link', exact: true }).click();
    await panel.getByRole('list', { name: 'Linked problems and incidents' }).getByRole('link', { name: problem.number }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'change-draft-page');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'change-draft-page-phone');
    await expectFitsPhone(page);
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.goto(`${fb.url}/desk/changes?week=${start.day}`);
    const entry = page.locator('.change-entry', { hasText: 'Automate VPN certificate renewal' });
    await entry.getByText(`${other.number} on VPN at the same time`).waitFor();
    await page.getByText('2 changes touch other work this week').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'change-calendar-conflicts');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'change-calendar-conflicts-phone');
    await expectFitsPhone(page);

    expect(pia.errors).toEqual([]);
    await pia.context.close();
  }, 180_000);
});
