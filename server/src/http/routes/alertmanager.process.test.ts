import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsFingerprint } from '../../../../core/alerts/normalised-alert.js';
import { ALERTMANAGER_BINARY, type RunningAlertmanager, startAlertmanager } from '../../../test/alertmanager.js';
import { NO_DELIVERY } from '../../../test/delivery.js';
import { createTestApp, json, type TestApp } from '../../../test/test-app.js';
import { alerts, tickets } from '../../db/schema/index.js';
import { buildJobRegistry, WORKER_OPTIONS } from '../../jobs/registry.js';
import { runDueJobs } from '../../jobs/runner.js';

/**
 * Real parts: Debian's Alertmanager posts its real webhooks over real HTTP to a listening
 * Firebreak. Skipped only when the binary is not installed.
 */
const installed = fs.existsSync(ALERTMANAGER_BINARY);
const title = installed
  ? 'Prometheus Alertmanager → Firebreak over loopback'
  : `Prometheus Alertmanager → Firebreak (SKIPPED: ${ALERTMANAGER_BINARY} is not installed; apt-get install prometheus-alertmanager)`;

describe.skipIf(!installed)(title, () => {
  let t: TestApp;
  let am: RunningAlertmanager;
  let integrationId: string;
  /**
   * Alertmanager's deliveries answered so far: what the probes below look at changes only when
   * Firebreak has answered one (it commits before it answers), so they probe again at each
   * answer, never on a timer. `ceilingMs` only bounds a wait for a delivery that never comes.
   */
  let answered = 0;
  const wakers = new Set<() => void>();
  async function afterDeliveries<T>(what: string, probe: () => Promise<T | undefined>, ceilingMs = 60_000): Promise<T> {
    const deadline = Date.now() + ceilingMs;
    for (;;) {
      const seen = answered;
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`no delivery from Alertmanager brought ${what} within ${ceilingMs / 1000} s`);
      if (answered !== seen) continue; // answered while the probe ran
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, deadline - Date.now() + 1);
        function done() {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        }
        wakers.add(done);
      });
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.user('admin');
    const created = json(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/integrations',
        headers: admin.headers,
        payload: { name: 'Alertmanager', source: 'alertmanager' },
      }),
    );
    integrationId = created.id;
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    t.app.server.on('request', (req, res) => {
      if (!req.url?.startsWith(created.alertsPath)) return;
      res.once('finish', () => {
        answered += 1;
        for (const wake of [...wakers]) wake();
      });
    });
    am = await startAlertmanager({ url: `${address}${created.alertsPath}`, token: created.token });
  });

  afterAll(async () => {
    await am?.stop();
    await t?.close();
  });

  const postToAlertmanager = async (body: unknown) => {
    const res = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.text()).toBe(200);
  };
  const labelSets = [
    { alertname: 'CheckoutDown', service: 'checkout', instance: 'web-1', severity: 'critical' },
    { alertname: 'CheckoutDown', service: 'checkout', instance: 'web-2', severity: 'critical' },
    { alertname: 'CheckoutDown', service: 'checkout', instance: 'web-3', severity: 'critical' },
  ];

  it('turns three firing alerts of one group into one incident, then resolves it when they resolve', async () => {
    const startsAt = new Date().toISOString();
    await postToAlertmanager(
      labelSets.map((labels) => ({ labels, annotations: { summary: `Checkout down on ${labels.instance}` }, startsAt })),
    );

    const rows = await afterDeliveries('three alerts', async () => {
      const found = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, integrationId));
      return found.length === 3 && found.every((r) => r.ticketId) ? found : undefined;
    });
    const ticketIds = new Set(rows.map((r) => r.ticketId));
    expect(ticketIds.size).toBe(1);
    const [incident] = await t.deps.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, [...ticketIds][0] as string));
    expect(incident).toMatchObject({ kind: 'incident', channel: 'alert', state: 'new', urgency: 1 }); // critical: urgent (no rule sets it)
    // Our fingerprint is Alertmanager's own (it sends one in each alert of a v4 payload).
    for (const row of rows) {
      expect((row.lastPayload as { fingerprint: string }).fingerprint).toBe(row.fingerprint);
      expect(row.fingerprint).toBe(labelsFingerprint(row.labels));
    }
    expect(rows.map((r) => r.severity)).toEqual(['critical', 'critical', 'critical']);
    expect(await t.deps.db.$count(tickets, eq(tickets.channel, 'alert'))).toBe(1);

    // Resolve them at Alertmanager: an end time in the past.
    await postToAlertmanager(labelSets.map((labels) => ({ labels, startsAt, endsAt: new Date(Date.now() - 1000).toISOString() })));
    await afterDeliveries('the resolved notification', async () => {
      const found = await t.deps.db.select().from(alerts).where(eq(alerts.integrationId, integrationId));
      return found.every((r) => r.status === 'resolved') ? found : undefined;
    });
    // The flapping guard holds the ticket open for the resolve delay; then the job resolves it.
    expect((await t.deps.db.select().from(tickets).where(eq(tickets.id, incident.id)))[0].state).toBe('new');
    t.clock.advance(6 * 60_000);
    await runDueJobs(t.deps, buildJobRegistry(NO_DELIVERY), WORKER_OPTIONS);
    const [after] = await t.deps.db.select().from(tickets).where(eq(tickets.id, incident.id));
    expect(after).toMatchObject({ state: 'resolved', resolutionCode: 'resolved_by_monitoring' });
  });
});
