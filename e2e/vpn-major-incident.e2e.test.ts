import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../server/test/alertmanager.js';
import {
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
 * Issue 14's story, end to end: the VPN concentrator fails; reports arrive through the portal,
 * by e-mail (a real SMTP conversation with the listener) and by phone (the desk logging them),
 * and monitoring raises two alerts. The desk sees the storm proposed live and declares a major
 * incident with a click; the reports become its children and their requesters are told once;
 * the roster fills, two hypotheses are chased and one confirmed, a meeting decides; the
 * incident resolves and its children with it; closing is refused until the completion
 * checklist is done, then it closes; a requester rates the handling.
 */
describe.skipIf(browserTestsOff)('a VPN outage handled as a major incident, in the browser', () => {
  let fb: Firebreak;
  let browser: Browser;
  let smtpPort: number;
  const people: Record<string, string> = {};
  let vpnId: string;

  beforeAll(async () => {
    smtpPort = await freePort();
  });
  useFirebreak(
    () => ({ FIREBREAK_SMTP_LISTEN_PORT: String(smtpPort), FIREBREAK_SUPPORT_ADDRESS: 'support@e2e.test' }),
    async (started) => {
      ({ fb, browser } = started);
      people.dana = (await addPerson(fb, 'dana@e2e.test', 'Dana Desk', 'manager')).id;
      people.tina = (await addPerson(fb, 'tina@e2e.test', 'Tina Tech', 'manager')).id;
      people.sam = (await addPerson(fb, 'sam@e2e.test', 'Sam Specialist', 'agent')).id;
      people.cora = (await addPerson(fb, 'cora@e2e.test', 'Cora Comms', 'agent')).id;
      for (let i = 1; i <= 8; i++) people[`r${i}`] = (await addPerson(fb, `r${i}@e2e.test`, `Requester ${i}`, 'requester')).id;
      const network = await fb.api('POST', '/teams', { name: 'Network' });
      const firewall = await fb.api('POST', '/services', { name: 'Firewall', ownerTeamId: network.id });
      vpnId = (await fb.api('POST', '/services', { name: 'VPN', ownerTeamId: network.id, dependsOnIds: [firewall.id] })).id;
      await fb.api('POST', '/services', { name: 'Payroll', dependsOnIds: [vpnId] });
      await fb.api('PUT', '/settings/incident-ownership', {
        local: { name: 'Customer Service Manager', holder: { kind: 'person', userId: people.dana } },
        global: { name: 'Technical Manager', holder: { kind: 'person', userId: people.tina } },
      });
    },
  );

  async function mail(from: string, subject: string, text: string) {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ from, to: 'support@e2e.test', subject, text });
    } finally {
      transport.close();
    }
  }

  it('goes from a storm of reports to a closed major incident', async () => {
    const dana = await signedIn(browser, fb.url, 'dana@e2e.test');
    await dana.page.goto(`${fb.url}/desk/queue/unassigned`);
    await dana.page.getByRole('heading', { name: 'Unassigned' }).waitFor();

    // 1. Reports from three channels and two alerts.
    const requester = await signedIn(browser, fb.url, 'r1@e2e.test');
    await requester.page.goto(`${fb.url}/portal/report`);
    await requester.page.getByLabel('Which service?').fill('VPN');
    await requester.page.getByRole('button', { name: 'VPN', exact: true }).click();
    await requester.page.getByLabel('What happened?').fill('VPN broken: cannot connect from home since 09:00');
    await requester.page.getByLabel('Many people or customers').check();
    await requester.page.getByLabel('Not at all').check();
    await requester.page.getByRole('button', { name: 'Send report' }).click();
    await requester.page.waitForURL(/\/portal\/tickets\//);
    for (const [i, subject] of ['VPN not working', 'VPN down?', 'Cannot reach the VPN'].entries()) {
      await mail(`Requester ${i + 2} <r${i + 2}@e2e.test>`, subject, 'The VPN client says the gateway does not answer.');
    }
    for (let i = 5; i <= 8; i++) {
      await fb.api('POST', '/tickets', {
        title: `Caller: VPN broken (${i})`,
        requesterId: people[`r${i}`],
        channel: 'phone',
        serviceId: vpnId,
        impact: 2,
        urgency: 1,
      });
    }
    const integration = await fb.api('POST', '/integrations', {
      name: 'Prometheus',
      source: 'generic',
      rules: [{ action: 'incident', serviceId: vpnId, impact: 1, urgency: 1, autoResolve: false }],
    });
    for (const alertname of ['VpnGatewayDown', 'VpnTunnelsZero']) {
      const res = await fetch(`${fb.url}${integration.alertsPath}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${integration.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ summary: `${alertname} on vpn-gw-1`, severity: 'critical', labels: { alertname, service: 'vpn' } }),
      });
      expect(res.status).toBeLessThan(300);
    }

    // 2. The storm appears on the desk without a reload; declared with a click.
    const card = dana.page.getByRole('article').filter({ hasText: 'Possible major incident' });
    await card.getByRole('heading', { name: /reports? and 2 alerts on VPN.*declare a major incident\?$/ }).waitFor({ timeout: 30_000 });
    await screenshot(dana.page, 'vpn-storm-proposal-1440');
    await card.getByRole('button', { name: 'Declare major incident' }).click();
    await dana.page.waitForURL(/\/desk\/tickets\//);
    const incidentId = new URL(dana.page.url()).pathname.split('/').pop() as string;
    await dana.page.getByRole('region', { name: 'Major incident at a glance' }).waitFor();

    // The reports are its children; their requesters were told once that it is a known problem.
    const links = await fb.api('GET', `/tickets/${incidentId}/links`);
    expect(links.childCount.all).toBeGreaterThanOrEqual(8);
    const incident = await fb.api('GET', `/tickets/${incidentId}`);
    expect(incident).toMatchObject({ scope: 'global', assignee: { id: people.tina } });
    expect(incident.majorSince).not.toBeNull();
    const child = links.children.find((c: { requester: { id: string } }) => c.requester.id === people.r5);
    const childTimeline = (await fb.api('GET', `/tickets/${child.id}/timeline`)).items;
    expect(
      childTimeline.filter((e: { type: string; body: string | null }) => e.type === 'comment' && e.body?.includes(incident.number)),
    ).toHaveLength(1);

    // 3. The roster, two investigations (one confirmed: the root cause), a meeting that decides.
    const roles = (await fb.api('GET', '/incident-roles')).items as { id: string; key: string }[];
    const role = (key: string) => roles.find((r) => r.key === key)?.id;
    await fb.api('POST', `/tickets/${incidentId}/roles`, { roleId: role('incident_manager'), userId: people.dana });
    await fb.api('POST', `/tickets/${incidentId}/roles`, { roleId: role('communications_manager'), userId: people.cora });
    await fb.api('POST', `/tickets/${incidentId}/roles`, { roleId: role('subject_matter_expert'), userId: people.sam });
    const cert = await fb.api('POST', `/tickets/${incidentId}/investigations`, {
      hypothesis: 'The gateway certificate expired',
      ownerId: people.sam,
    });
    const isp = await fb.api('POST', `/tickets/${incidentId}/investigations`, {
      hypothesis: 'The upstream ISP is down',
      ownerId: people.tina,
    });
    await fb.api('PATCH', `/tickets/${incidentId}/investigations/${isp.id}`, {
      status: 'ruled_out',
      conclusion: 'The ISP reports no fault',
    });
    await fb.api('PATCH', `/tickets/${incidentId}/investigations/${cert.id}`, {
      status: 'confirmed',
      conclusion: 'The gateway certificate expired at 09:01 and was not renewed',
    });
    const meeting = await fb.api('POST', `/tickets/${incidentId}/meetings`, {
      title: 'Resolution meeting',
      startsAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      link: 'https://meet.example.test/vpn',
      attendeeIds: [people.sam, people.tina],
    });
    await fb.api('POST', `/tickets/${incidentId}/meetings/${meeting.id}/start`);
    await fb.api('PATCH', `/tickets/${incidentId}/meetings/${meeting.id}`, {
      decisions: 'Renew the certificate now; alert 30 days before expiry',
    });
    await fb.api('POST', `/tickets/${incidentId}/meetings/${meeting.id}/end`);

    // The war room, live: roles, investigations side by side, the root cause.
    await dana.page.getByText('The gateway certificate expired at 09:01 and was not renewed').first().waitFor();
    await screenshot(dana.page, 'vpn-war-room-1440');
    expect(await accessibilityProblems(dana.page)).toEqual([]);
    await dana.page.setViewportSize(PHONE);
    await expectFitsPhone(dana.page);
    await screenshot(dana.page, 'vpn-war-room-390');
    await dana.page.setViewportSize({ width: 1440, height: 900 });

    // 4. Resolved: every child resolves with it, its requester hearing the resolution.
    await fb.api('POST', `/tickets/${incidentId}/transitions`, { to: 'in_progress' });
    await fb.api('POST', `/tickets/${incidentId}/transitions`, {
      to: 'resolved',
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Renewed the VPN gateway certificate; connections work again.',
    });
    await expect.poll(async () => (await fb.api('GET', `/tickets/${child.id}`)).state, { timeout: 30_000, interval: 250 }).toBe('resolved');

    // 5. Close: refused until the checklist is done, in the desk.
    await dana.page.reload();
    const closing = dana.page.locator('section', { has: dana.page.getByRole('heading', { name: 'Closing properly' }) });
    await closing.getByText(/done\. It cannot be closed until all are\./).waitFor();
    await dana.page.getByRole('button', { name: 'Close', exact: true }).click();
    await dana.page
      .getByText(/cannot be closed until its completion checklist is done; missing: Final update sent to stakeholders/)
      .waitFor();
    expect((await fb.api('GET', `/tickets/${incidentId}`)).state).toBe('resolved');

    await closing.getByRole('button', { name: 'Send the final update…' }).click();
    await closing.getByLabel('Final update').fill('The VPN works again for everyone since 10:40. The gateway certificate had expired.');
    await closing.getByRole('button', { name: 'Send', exact: true }).click();
    await closing.getByRole('button', { name: 'Record a preventive measure…' }).click();
    await closing.getByLabel('Preventive measure').fill('Alert 30 days before any gateway certificate expires');
    await closing.getByRole('button', { name: 'Record', exact: true }).click();
    await closing.getByRole('button', { name: 'Schedule the review…' }).click();
    await closing.getByRole('button', { name: 'Schedule', exact: true }).click();
    await closing.getByText('Everything is done: the incident may be closed.').waitFor();
    await screenshot(dana.page, 'vpn-closing-1440');
    await dana.page.getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(async () => (await fb.api('GET', `/tickets/${incidentId}`)).state).toBe('closed');
    expect(dana.errors).toEqual([]);

    // 6. A child's requester rates the handling once their ticket is closed.
    await fb.api('POST', `/tickets/${child.id}/transitions`, { to: 'closed' });
    const rater = await signedIn(browser, fb.url, 'r5@e2e.test');
    const rated = await rater.page.evaluate(
      async ({ id }) =>
        (
          await fetch(`/api/v1/tickets/${id}/satisfaction`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ rating: 5, comment: 'Told early, fixed fast' }),
          })
        ).status,
      { id: child.id },
    );
    expect(rated).toBe(201);
  }, 240_000);
});
