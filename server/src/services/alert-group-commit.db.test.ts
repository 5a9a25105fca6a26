import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptPayload } from '../../../core/alerts/adapters.js';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { alerts, integrations } from '../db/schema/index.js';
import type { IntegrationRow } from '../repositories/integrations.repository.js';
import { createAlertGroupCommit } from './alert-group-commit.js';
import { createIntegration, rotateIntegrationToken } from './integrations.service.js';

let database: Database;
const clock = new FakeClock('2026-03-02T08:00:00Z');
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const one = (fingerprint: string, extra: Record<string, unknown> = {}) => {
  const r = adaptPayload('generic', { summary: fingerprint, fingerprint, ...extra }, clock.now());
  if (!r.ok) throw new Error('bad');
  return r.alerts;
};

describe('alert group commit', () => {
  it('commits concurrent deliveries together, answers each after commit, and a failing one fails alone', async () => {
    const deps = { db: database.db, clock };
    const { integration } = await createIntegration(deps, { name: 'gc', source: 'generic', rules: [], resolveDelayMinutes: 5 });
    // An integration that does not exist: its alert row breaks a foreign key, failing the shared transaction.
    const ghost: IntegrationRow = { ...integration, id: randomUUID() };
    const commits = createAlertGroupCommit(deps, { workers: 2, maxAlerts: 500 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => commits.submit(i === 7 ? ghost : integration, one(`gc-${i}`))),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect(outcomes[7].status).toBe('rejected');
    const rows = await database.db.select().from(alerts).where(eq(alerts.integrationId, integration.id));
    expect(rows.map((r) => r.fingerprint).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `gc-${i}`)
        .filter((f) => f !== 'gc-7')
        .sort(),
    );
    // Every answer names a committed row.
    for (const o of outcomes) if (o.status === 'fulfilled') expect(rows.map((r) => r.id)).toContain(o.value[0].alertId);
    await commits.drain();
  });

  it('counts plain repeats in their own statement, and takes everything else through the transaction, answering each alert of each delivery', async () => {
    const deps = { db: database.db, clock };
    const { integration } = await createIntegration(deps, { name: 'mixed', source: 'generic', rules: [], resolveDelayMinutes: 0 });
    const commits = createAlertGroupCommit(deps, { workers: 2, maxAlerts: 500 });
    const [[a], [b], [c]] = await Promise.all(['mx-a', 'mx-b', 'mx-c'].map((f) => commits.submit(integration, one(f))));
    expect(a.ticketId).not.toBeNull();

    const outcomes = await Promise.all([
      ...Array.from({ length: 5 }, () => commits.submit(integration, one('mx-a'))), // plain repeats
      commits.submit(integration, [...one('mx-a'), ...one('mx-b', { status: 'resolved' })]), // a repeat and a resolve
      commits.submit(
        integration,
        one('mx-c').map((x) => ({ ...x, acknowledged: true })),
      ), // a first acknowledgement (as from PagerDuty): not plain
      commits.submit(integration, [...one('mx-d'), ...one('mx-a')]), // a new alert and a repeat
    ]);
    // Every delivery is answered for each of its alerts, in order, with the counter after it.
    expect(outcomes.map((o) => o.map((x) => x.fingerprint))).toEqual([
      ['mx-a'],
      ['mx-a'],
      ['mx-a'],
      ['mx-a'],
      ['mx-a'],
      ['mx-a', 'mx-b'],
      ['mx-c'],
      ['mx-d', 'mx-a'],
    ]);
    const countsOfA = outcomes.flatMap((o) => o.filter((x) => x.fingerprint === 'mx-a').map((x) => x.count));
    expect(countsOfA.sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(outcomes[5][1]).toMatchObject({ status: 'resolved', count: 2, alertId: b.alertId });
    expect(outcomes[7][0]).toMatchObject({ status: 'firing', count: 1 });

    const rows = new Map(
      (await database.db.select().from(alerts).where(eq(alerts.integrationId, integration.id))).map((r) => [r.fingerprint, r]),
    );
    expect(rows.get('mx-a')).toMatchObject({ count: 8, status: 'firing' });
    expect(rows.get('mx-b')).toMatchObject({ count: 2, status: 'resolved' });
    expect(rows.get('mx-b')?.resolvedAt).not.toBeNull();
    expect(rows.get('mx-c')?.acknowledgedAt).not.toBeNull();
    expect(rows.get('mx-c')?.id).toBe(c.alertId);
    expect(rows.get('mx-d')?.ticketId).not.toBeNull();

    // Plain repeats are counted by their own statement: within a second of the last one an alert
    // keeps its last-seen time (so the row is rewritten in place); later, it moves, and so does
    // the integration's last-alert time (at most once a minute).
    const seenAt = async (id: string) => (await database.db.select().from(alerts).where(eq(alerts.id, id)))[0].lastSeenAt;
    const before = await seenAt(a.alertId);
    clock.advance(400);
    await commits.submit(integration, one('mx-a'));
    expect(await seenAt(a.alertId)).toEqual(before);
    clock.advance(2 * 60_000);
    const [again] = await commits.submit(integration, one('mx-a'));
    expect(again.count).toBe(10);
    expect(await seenAt(a.alertId)).toEqual(clock.now());
    const [stamped] = await database.db.select().from(integrations).where(eq(integrations.id, integration.id));
    expect(stamped.lastAlertAt).toEqual(clock.now());

    // A repeat let in with a token replaced since is refused, and counts nothing.
    await rotateIntegrationToken(deps, integration.id);
    await expect(commits.submit(integration, one('mx-a'))).rejects.toMatchObject({ code: 'unauthenticated' });
    const [after] = await database.db.select().from(alerts).where(eq(alerts.id, a.alertId));
    expect(after.count).toBe(10);
    await commits.drain();
  });
});
