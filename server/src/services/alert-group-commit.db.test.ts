import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptPayload } from '../../../core/alerts/adapters.js';
import { createTestDatabase } from '../../test/database.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { alerts } from '../db/schema/index.js';
import type { IntegrationRow } from '../repositories/integrations.repository.js';
import { createAlertGroupCommit } from './alert-group-commit.js';
import { createIntegration } from './integrations.service.js';

let database: Database;
const clock = new FakeClock('2026-03-02T08:00:00Z');
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const one = (fingerprint: string) => {
  const r = adaptPayload('generic', { summary: fingerprint, fingerprint }, clock.now());
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
});
