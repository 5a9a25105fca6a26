/**
 * Writes server/src/db/upgrade-fixtures/0057.json, the upgrade test's earlier release: an
 * embedded database migrated up to 0057 (the schema of commit 60c6317, the last one before the
 * 0058–0061 merges), filled by scripts/upgrade-fixture/seed-0057.sql, dumped table by table.
 * Run: node --import tsx scripts/upgrade-fixture.ts
 * Only needed if the seed changes; the migrations up to 0057 never change once released.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openPglite } from '../server/src/db/client.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { dumpFixture, FIXTURES_FOLDER, migrationWhen, rawQuery } from '../server/test/upgrade-fixture.js';

const RELEASE = { commit: '60c6317', migration: '0057_canned_replies' };

async function main() {
  const when = migrationWhen(RELEASE.migration);
  const database = await openPglite('memory');
  try {
    await migrateDatabase(database, { upToWhen: when });
    const query = await rawQuery(database);
    if (database.raw.kind !== 'pglite') throw new Error('unreachable');
    await database.raw.client.exec(fs.readFileSync(path.join(import.meta.dirname, 'upgrade-fixture', 'seed-0057.sql'), 'utf8'));
    const fixture = await dumpFixture(query, { ...RELEASE, when });
    const file = path.join(FIXTURES_FOLDER, '0057.json');
    fs.mkdirSync(FIXTURES_FOLDER, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(fixture, null, 1)}\n`);
    const filled = fixture.tables.filter((t) => t.rows.length > 0);
    console.log(
      `${file}: ${filled.length} of ${fixture.tables.length} tables hold rows (${filled.map((t) => `${t.name} ${t.rows.length}`).join(', ')})`,
    );
  } finally {
    await database.close();
  }
}

await main();
