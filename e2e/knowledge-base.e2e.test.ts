import { describe, expect, it } from 'vitest';
import { testEngine } from '../server/test/database.js';
import { useDesk } from './desk.js';
import { ARTIFACTS, accessibilityProblems, browserTestsOff, expectFitsPhone, PHONE, screenshot } from './harness.js';

/**
 * Issue 17 items 6–7 in a real browser: an agent writes and publishes an article in the desk; a
 * month later a requester starts typing "vpn certificate error" in *Report a problem*, the
 * article appears beside the form, they open it and press "This solved it": no ticket is filed,
 * and the desk sees the count on the article.
 */
describe.skipIf(browserTestsOff)('the knowledge base answers before anyone files', () => {
  const seeded = useDesk({
    'kate@e2e.test': ['Kate Knowledge', 'agent'],
    'rob@e2e.test': ['Rob Requester', 'requester'],
  });

  it('publishes an article in the desk, deflects a report in the portal, and counts it', async () => {
    const { fb } = seeded;
    const kate = await seeded.signIn('kate@e2e.test');
    const desk = kate.page;
    await desk.goto(`${fb.url}/desk/knowledge`);
    await desk.getByRole('link', { name: 'New article' }).click();
    await desk.getByLabel('Title').fill('VPN certificate error after a password change');
    await desk
      .getByLabel('Body (Markdown)')
      .fill(
        '## Workaround\n\n1. Open the VPN client.\n2. Choose **Renew certificate**.\n3. Sign in again.\n\n<script>alert("x")</script>\n\n[Self-service portal](https://intranet.example/vpn)',
      );
    // The preview shows the Markdown rendered, and the script as harmless text.
    const preview = desk.locator('section', { has: desk.getByRole('heading', { name: 'Preview' }) });
    await preview.getByRole('heading', { name: 'Workaround' }).waitFor();
    await preview.getByText('<script>alert("x")</script>').waitFor();
    expect(await preview.locator('script').count()).toBe(0);
    await desk.getByRole('button', { name: 'Save draft' }).click();
    await desk.waitForURL(/\/desk\/knowledge\/[0-9a-f-]{36}$/);
    await desk.getByRole('button', { name: 'Publish' }).click();
    await desk.getByText('Published', { exact: true }).waitFor();
    await desk.getByText(/Version 2 · VPN certificate error/).waitFor();
    const articleUrl = desk.url();
    await screenshot(desk, 'knowledge-base-editor');
    expect(await accessibilityProblems(desk)).toEqual([]);
    await expectFitsPhone(desk);

    const rob = await seeded.signIn('rob@e2e.test');
    const portal = rob.page;
    await portal.goto(`${fb.url}/portal/report`);
    await portal.getByLabel('What happened?').fill('vpn certificate error');
    const suggestions = portal.getByRole('complementary', { name: 'Articles that may help' });
    const suggestion = suggestions.getByRole('button', { name: /VPN certificate error after a password change/ });
    await suggestion.waitFor();
    // The words found are highlighted.
    expect(await suggestions.locator('mark').allInnerTexts()).toEqual(expect.arrayContaining(['VPN', 'certificate', 'error']));
    await screenshot(portal, 'knowledge-base-deflection');
    expect(await accessibilityProblems(portal)).toEqual([]);
    await portal.setViewportSize(PHONE);
    await screenshot(portal, 'knowledge-base-deflection-phone');
    await expectFitsPhone(portal);
    await portal.setViewportSize({ width: 1440, height: 900 });

    await suggestion.click();
    const opened = portal.getByRole('complementary', { name: 'Article that may help' });
    await opened.getByRole('heading', { name: 'Workaround' }).waitFor();
    await opened.getByRole('button', { name: 'This solved it' }).click();
    await portal.waitForURL(/\/portal$/);
    await portal.getByText('Glad that solved it — no ticket was filed').waitFor();
    await screenshot(portal, 'knowledge-base-solved');

    // No ticket was created.
    const tickets = await fb.api('GET', '/tickets');
    expect(tickets.items).toEqual([]);

    // The desk sees the count on the article.
    await desk.goto(articleUrl);
    await desk.getByText('Solved 1 without a ticket').waitFor();
    await desk.setViewportSize(PHONE);
    await screenshot(desk, 'knowledge-base-editor-phone');
    await desk.setViewportSize({ width: 1440, height: 900 });

    // A new ticket about the same thing: the desk's ticket page suggests the article, its link
    // goes into the reply, and once resolved an article can be started from its resolution.
    const ticket = await fb.api('POST', '/tickets', {
      kind: 'incident',
      title: 'VPN certificate error on my laptop',
      description: 'The client says the certificate is not valid.',
      impact: 3,
      urgency: 2,
    });
    await desk.goto(`${fb.url}/desk/tickets/${ticket.id}`);
    const kb = desk.locator('section', { has: desk.getByRole('heading', { name: 'Knowledge base', exact: true }) });
    await kb
      .getByRole('list', { name: 'Suggested articles' })
      .getByText(/password change/)
      .waitFor();
    await kb.getByRole('button', { name: 'Insert link in reply' }).click();
    await expect.poll(() => desk.locator('#composer-body').inputValue()).toContain(`/portal/articles/${articleUrl.split('/').pop()}`);
    await kb.screenshot({ path: `${ARTIFACTS}/${testEngine()}/knowledge-base-ticket-card.png` });
    await fb.api('POST', `/tickets/${ticket.id}/transitions`, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Renewed the laptop certificate from the VPN client.',
    });
    await desk.reload();
    await kb.getByRole('button', { name: 'Create article from resolution' }).click();
    await desk.waitForURL((u) => u.pathname.startsWith('/desk/knowledge/') && u.toString() !== articleUrl);
    expect(await desk.getByLabel('Body (Markdown)').inputValue()).toContain('Renewed the laptop certificate from the VPN client.');
    expect(await desk.getByLabel('Title').inputValue()).toBe('VPN certificate error on my laptop');

    expect(kate.errors).toEqual([]);
    expect(rob.errors).toEqual([]);
    await rob.context.close();
    await kate.context.close();
  }, 180_000);
});
