import { describe, expect, it } from 'vitest';
import { member, useDesk } from './desk.js';
import { accessibilityProblems, browserTestsOff, expectFitsPhone, PHONE, screenshot } from './harness.js';

/**
 * Issue 18 item 4 in a real browser: a manager writes a shared canned reply on the desk page; an
 * agent on a ticket types `/`, picks it with the keyboard, sends it, and the timeline shows the
 * reply with the requester's name and the ticket number filled in, and the team it assigns.
 */
describe.skipIf(browserTestsOff)('canned replies from the composer', () => {
  let ticket: { id: string; number: string };
  let teamName: string;

  const seeded = useDesk(
    {
      'mia@e2e.test': ['Mia Manager', 'manager'],
      'ann@e2e.test': ['Ann Agent', 'agent'],
      'rob@e2e.test': ['Rob Requester', 'requester'],
    },
    async ({ fb }) => {
      const rob = member(seeded, 'rob@e2e.test');
      teamName = (await fb.api('POST', '/teams', { name: 'Identity & Access' })).name;
      ticket = await fb.api('POST', '/tickets', { title: 'Cannot sign in after holiday', requesterId: rob.id });
    },
  );

  it('inserts a shared reply with / and the keyboard, and sends it with its variables filled', async () => {
    const { fb } = seeded;
    const mia = await seeded.signIn('mia@e2e.test');
    const admin = mia.page;
    await admin.goto(`${fb.url}/desk/canned-replies`);
    await admin.getByRole('button', { name: 'New canned reply' }).click();
    await admin.getByLabel('Name').fill('Password reset');
    // An unknown variable is refused, naming it.
    await admin.getByLabel('Text').fill('Hi {customer}');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText(/is not a variable: \{customer\}/).waitFor();
    await admin
      .getByLabel('Text')
      .fill('Hi {requester_name}, I have reset the password for {ticket_number} ({ticket_title}). — {agent_name}');
    await admin.getByLabel('Also assign to team').selectOption({ label: teamName });
    expect(await admin.getByLabel('Who can use it').inputValue()).toBe('shared');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText(`Shared · reply · assigns team ${teamName}`).waitFor();
    await screenshot(admin, 'canned-replies-page');
    expect(await accessibilityProblems(admin)).toEqual([]);
    await admin.setViewportSize(PHONE);
    await screenshot(admin, 'canned-replies-page-phone');
    await expectFitsPhone(admin);
    await mia.context.close();

    const ann = await seeded.signIn('ann@e2e.test');
    const page = ann.page;
    await page.goto(`${fb.url}/desk/tickets/${ticket.id}`);
    const box = page.locator('#composer-body');
    await box.click();
    await page.keyboard.type('/pass');
    const option = page.getByRole('option', { name: /Password reset/ });
    await option.waitFor();
    expect(await option.getAttribute('aria-selected')).toBe('true');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await screenshot(page, 'canned-replies-menu');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.keyboard.press('Enter');
    const text = `Hi Rob Requester, I have reset the password for ${ticket.number} (Cannot sign in after holiday). — Ann Agent`;
    await expect.poll(() => box.inputValue()).toBe(text);
    await page.getByText(`Sending also applies “Password reset”: assigns team ${teamName}.`).waitFor();
    // The agent may still edit before sending.
    await box.press('End');
    await page.keyboard.type(' Call us if it fails.');
    await box.press('Control+Enter');
    await expect.poll(() => box.inputValue()).toBe('');
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText(`${text} Call us if it fails.`).waitFor();
    await timeline.getByText(teamName).first().waitFor();
    await screenshot(page, 'canned-replies-sent');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'canned-replies-sent-phone');
    await expectFitsPhone(page);
    expect(ann.errors).toEqual([]);
    await ann.context.close();
  });
});
