import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../test/database.js';
import { type ServiceNowExportRow, serviceNowCsv } from '../test/servicenow-export.js';
import { systemClock } from './adapters/clock.js';
import { readConfig } from './config.js';
import type { Database } from './db/client.js';
import { importCommand } from './import-command.js';
import { takeImportLock } from './repositories/imports.repository.js';
import { listRecentImportRuns } from './services/import-upload.service.js';

/**
 * `firebreak import servicenow FILE` (issue 16) runs as a run of Admin › Import: the page lists
 * it with its report (or why it stopped) and who ran it where, like an upload. A dry run, which
 * writes nothing, is not a run.
 */
let database: Database;
let dir: string;
const row = (n: number): ServiceNowExportRow => ({
  number: `INC${7_700_000 + n}`,
  incident_state: 'Active',
  sys_mod_count: '0',
  caller_id: `Caller ${n}`,
  opened_by: 'Opener',
  opened_at: '2/4/2026 09:00',
  sys_updated_by: 'Opener',
  sys_updated_at: '2/4/2026 10:00',
  assignment_group: 'Group 1',
  priority: '3 - Moderate',
  impact: '2 - Medium',
  urgency: '2 - Medium',
});

beforeAll(async () => {
  database = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-import-command-'));
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterAll(async () => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
  await database.close();
});

/** The command against the test's database (which it must not close). */
const run = (args: string[]) => importCommand(readConfig({}), args, async () => ({ ...database, close: async () => {} }));
const runs = () => listRecentImportRuns({ db: database.db, clock: systemClock });

describe('firebreak import on the command line', () => {
  it('is listed in Admin › Import with its report and who ran it where; a dry run is not', async () => {
    const file = path.join(dir, 'incidents.csv');
    fs.writeFileSync(file, serviceNowCsv([row(1), row(2), row(3)]));
    expect(await run(['servicenow', file, '--date-format', 'D/M/YYYY HH:mm', '--dry-run'])).toBe(0);
    expect(await runs()).toEqual([]);
    expect(await run(['servicenow', file, '--date-format', 'D/M/YYYY HH:mm'])).toBe(0);
    const [listed] = await runs();
    expect(listed).toMatchObject({
      fileName: 'incidents.csv',
      bytes: fs.statSync(file).size,
      state: 'done',
      percent: 100,
      rows: 3,
      incidents: 3,
      report: { dryRun: false, created: 3, refusedCount: 0 },
    });
    expect(listed.startedBy.name).toBe(`${os.userInfo().username} on ${os.hostname()} (command line)`);
  });

  it('is listed as stopped, with the reason, when another import holds the lock', async () => {
    const now = new Date();
    await takeImportLock(database.db, 'import of other.csv by Ana', now, new Date(now.getTime() + 60_000));
    const file = path.join(dir, 'second.csv');
    fs.writeFileSync(file, serviceNowCsv([row(4)]));
    expect(await run(['servicenow', file, '--date-format', 'D/M/YYYY HH:mm'])).toBe(1);
    const [listed] = await runs();
    expect(listed).toMatchObject({ fileName: 'second.csv', state: 'failed' });
    expect(listed.error).toMatch(/Another import is running \(import of other\.csv by Ana/);
  });
});
