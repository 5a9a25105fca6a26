import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { testEngine } from '../../test/database.js';
import { withDatabase } from '../../test/global-setup.js';
import { freshServerStorage } from '../../test/server-storage.js';
import { openPglite, openPostgres, rowsOf } from './client.js';
import { migrateDatabase } from './migrate.js';

describe.runIf(testEngine() === 'postgres')('migrations on PostgreSQL', () => {
  it('applies once when several processes start together on an empty database', async () => {
    const adminUrl = inject('postgresAdminUrl');
    const name = `firebreak_race_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      // Four independent pools stand for four server processes starting at the same moment.
      const servers = await Promise.all([1, 2, 3, 4].map(() => openPostgres(withDatabase(adminUrl, name), 2)));
      await Promise.all(servers.map((s) => migrateDatabase(s)));
      const applied = rowsOf<{ n: number }>(await servers[0].db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`));
      const files = fs.readdirSync(new URL('./migrations', import.meta.url)).filter((f) => f.endsWith('.sql'));
      expect(applied[0].n).toBe(files.length);
      await Promise.all(servers.map((s) => s.close()));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe.runIf(testEngine() === 'pglite')('the embedded data folder', () => {
  it('refuses a second process with a message that says what to do', async () => {
    // A folder already migrated (a copy of the run's template): the lock is what is under test, and
    // migrating a new folder from nothing costs seconds; main.process.test.ts starts on an empty one.
    const cleanups: (() => Promise<void> | void)[] = [];
    const dir = (await freshServerStorage('lock', cleanups)).FIREBREAK_DATA_DIR;
    try {
      // Another live process (our parent) holds the folder.
      fs.writeFileSync(path.join(dir, 'firebreak.pid'), String(process.ppid));
      await expect(openPglite(dir)).rejects.toThrow(`in use by process ${process.ppid}`);
      // A lock left by a process that died is taken over.
      fs.writeFileSync(path.join(dir, 'firebreak.pid'), '999999999');
      const database = await openPglite(dir);
      await migrateDatabase(database);
      await database.close();
      expect(fs.existsSync(path.join(dir, 'firebreak.pid'))).toBe(false);
    } finally {
      for (const cleanup of cleanups) await cleanup();
    }
  });
});
