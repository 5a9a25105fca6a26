import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { backfilledRollupRows, ROLLUP_TABLES, rollupRows } from '../../test/rollups.js';
import { type ServiceNowExportRow, serviceNowCsv } from '../../test/servicenow-export.js';
import { FakeClock } from '../adapters/clock.js';
import type { Database } from '../db/client.js';
import { teams, users } from '../db/schema/index.js';
import { countPendingRollups, deferRollups } from '../repositories/kpi-pending.repository.js';
import { insertTickets } from '../repositories/tickets.repository.js';
import { importServiceNow } from './servicenow-import.service.js';

/**
 * An import's batches defer the KPI rollups (migration 0074) and the import adds its tickets to
 * them at its end: the dashboard then reads exactly what the definitions (the backfills) compute
 * from the tickets — also after an import that broke off, and for tickets an import that was
 * killed left uncounted, which the next import counts.
 */
const OPTIONS = { dateFormat: 'D/M/YYYY HH:mm', timeZone: 'UTC' };

/** D/M/YYYY HH:mm, as ServiceNow's event log writes dates. */
const snDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
};

/** `count` incidents from `first` over two months and four groups: opened, worked, resolved, some closed, some reopened. */
function eventLog(first: number, count: number): ServiceNowExportRow[] {
  const rows: ServiceNowExportRow[] = [];
  for (let i = 0; i < count; i++) {
    const opened = Date.UTC(2026, 0, 1) + ((i * 37) % 60) * 86_400_000 + ((i * 53) % 96) * 900_000;
    const base = {
      number: `INC${String(first + i).padStart(7, '0')}`,
      caller_id: `Caller ${i % 7}`,
      opened_by: `Opener ${i % 3}`,
      opened_at: snDate(opened),
      impact: `${1 + (i % 3)} - High`,
      urgency: `${1 + ((i >> 1) % 3)} - High`,
      priority: `${1 + (i % 4)} - Moderate`,
      category: `Category ${i % 2}`,
      contact_type: 'Phone',
    };
    const group = `Group ${i % 4}`;
    const resolver = `Resolver ${i % 5}`;
    const at = (h: number) => snDate(opened + h * 3_600_000 + (i % 11) * 60_000);
    const steps: Partial<ServiceNowExportRow>[] = [
      { incident_state: 'New', sys_updated_at: at(0), sys_updated_by: base.opened_by },
      { incident_state: 'Active', sys_updated_at: at(1), sys_updated_by: resolver, assignment_group: group, assigned_to: resolver },
    ];
    if (i % 4 !== 3) {
      const done = { assignment_group: group, assigned_to: resolver, resolved_by: resolver, resolved_at: at(5 + i), closed_code: 'code 5' };
      steps.push({ incident_state: 'Resolved', sys_updated_at: at(5 + i), sys_updated_by: resolver, ...done });
      if (i % 4 === 1)
        steps.push({ incident_state: 'Closed', sys_updated_at: at(80), sys_updated_by: 'system', closed_at: at(80), ...done });
      if (i % 8 === 2) steps.push({ incident_state: 'Active', sys_updated_at: at(40), sys_updated_by: resolver, reopen_count: '1' });
    }
    let carried: Partial<ServiceNowExportRow> = {};
    steps.forEach((step, m) => {
      carried = { ...carried, ...step };
      rows.push({ ...base, ...carried, sys_mod_count: String(m) } as ServiceNowExportRow);
    });
  }
  return rows;
}

const bytesOf = (text: string) => () =>
  (async function* () {
    yield Buffer.from(text, 'utf8');
  })();

let database: Database;
let deps: { db: Database['db']; clock: FakeClock };

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, clock: new FakeClock('2026-06-01T09:00:00Z') };
});
afterAll(() => database.close());

describe("an import's KPI rollups", () => {
  it('are added at its end, and equal the definitions computed from the imported tickets', async () => {
    const report = await importServiceNow(deps, {
      open: bytesOf(serviceNowCsv(eventLog(5_000_000, 40))),
      dryRun: false,
      holder: 'test',
      batchSize: 7,
      ...OPTIONS,
    });
    expect(report).toMatchObject({ created: 40, refused: [] });
    expect(await countPendingRollups(database.db)).toBe(0);
    const kept = await rollupRows(database.db);
    expect(kept.kpi_daily_team_rollups.length).toBeGreaterThan(10);
    expect(kept).toEqual(await backfilledRollupRows(database.db));
  });

  it('after an import that broke off, count what it committed', async () => {
    const text = serviceNowCsv(eventLog(5_100_000, 20));
    let opened = 0;
    const breaking = () =>
      (async function* () {
        opened++;
        if (opened === 2) {
          // The writing pass: half the lines, then the disk goes away.
          const lines = text.split('\r\n');
          yield Buffer.from(`${lines.slice(0, lines.length / 2).join('\r\n')}\r\n`);
          throw new Error('the disk went away');
        }
        yield Buffer.from(text);
      })();
    await expect(importServiceNow(deps, { open: breaking, dryRun: false, holder: 'test', batchSize: 2, ...OPTIONS })).rejects.toThrow(
      /the disk went away/,
    );
    expect(await countPendingRollups(database.db)).toBe(0);
    expect(await rollupRows(database.db)).toEqual(await backfilledRollupRows(database.db));
  });

  it('count, at the next import, the tickets an import that was killed left listed', async () => {
    // What a killed importer leaves: a batch committed with its rollups deferred, never drained.
    const at = new Date('2026-02-10T10:00:00Z');
    const [{ id: requesterId }] = await database.db
      .insert(users)
      .values({ email: 'killed@import.test', name: 'Kim', role: 'requester', createdAt: at, updatedAt: at })
      .returning();
    const [team] = await database.db.insert(teams).values({ name: 'Killed import', createdAt: at }).returning();
    await database.db.transaction(async (tx) => {
      await deferRollups(tx);
      await insertTickets(
        tx,
        [0, 1, 2].map((i) => ({
          id: crypto.randomUUID(),
          kind: 'incident' as const,
          title: `Left by a killed import ${i}`,
          description: '',
          requesterId,
          reportedById: requesterId,
          channel: 'phone' as const,
          impact: 2,
          urgency: 2,
          priority: 3,
          scope: 'local' as const,
          teamId: team.id,
          state: i === 0 ? ('in_progress' as const) : ('resolved' as const),
          openedAt: new Date(at.getTime() + i * 3_600_000),
          resolvedAt: i === 0 ? null : new Date(at.getTime() + 7_200_000 * (i + 1)),
          updatedAt: at,
        })),
      );
    });
    expect(await countPendingRollups(database.db)).toBe(3);
    const ofTeam = await rollupRows(database.db, team.id);
    expect(ofTeam).toEqual(Object.fromEntries(ROLLUP_TABLES.map((t) => [t, []])));
    await importServiceNow(deps, { open: bytesOf(serviceNowCsv(eventLog(5_200_000, 3))), dryRun: false, holder: 'test', ...OPTIONS });
    expect(await countPendingRollups(database.db)).toBe(0);
    expect((await rollupRows(database.db, team.id)).kpi_daily_team_rollups).not.toEqual([]);
    expect(await rollupRows(database.db)).toEqual(await backfilledRollupRows(database.db));
  });
});
