import { once } from 'node:events';
import fs from 'node:fs';
import readline from 'node:readline';
import type { Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { Actor } from '../../core/permissions.js';
import type { Clock } from './adapters/clock.js';
import type { Database } from './db/client.js';
import { latestMigrationLevel, migrateDatabase } from './db/migrate.js';
import { ticketJsonLine } from './http/presenters/ticket-export.presenter.js';
import { readMigrationLevel } from './repositories/backup.repository.js';
import { BackupError, type BackupSummary, parseBackupHeader, restoreBackup, writeBackup } from './services/backup.service.js';
import { exportTickets } from './services/ticket-export.service.js';

/**
 * The CLI's data commands: export, backup and restore. Files and streams live here; what is
 * written and read is the services' (the same export the API streams; backup.service's format).
 */

/** Whoever runs the CLI holds the data folder or the database's password: they see as an admin. */
const MACHINE_ADMIN: Actor = { id: '00000000-0000-0000-0000-000000000000', role: 'admin' };

/** Writes text to a stream, waiting when its buffer is full (so memory stays flat). */
function writerOf(stream: Writable): (text: string) => Promise<void> | undefined {
  return (text) => (stream.write(text) ? undefined : once(stream, 'drain').then(() => undefined));
}

async function finish(stream: Writable, file: fs.WriteStream): Promise<void> {
  stream.end();
  await once(file, 'close');
}

/** Every ticket with its timeline as JSON lines (the same lines as GET /api/v1/tickets/export). */
export async function exportToFile(db: Database['db'], file: string): Promise<number> {
  const out = fs.createWriteStream(file);
  const write = writerOf(out);
  let count = 0;
  const pages = await exportTickets(db, MACHINE_ADMIN, { sort: 'openedAt' }, { timelines: true });
  for await (const page of pages) {
    count += page.length;
    await write(page.map(ticketJsonLine).join(''));
  }
  await finish(out, out);
  return count;
}

export async function backupToFile(database: Database, clock: Clock, file: string): Promise<BackupSummary> {
  const partial = `${file}.partial`;
  const out = fs.createWriteStream(partial);
  const gzip = createGzip({ level: 6 });
  gzip.pipe(out);
  try {
    const summary = await writeBackup({ db: database.db, kind: database.kind, clock }, writerOf(gzip));
    await finish(gzip, out);
    // Only a whole backup gets the name asked for: a failed one never passes for a good one.
    fs.renameSync(partial, file);
    return summary;
  } catch (err) {
    gzip.destroy();
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

/** The lines of a gzip'd file; a file that is not gzip, or is cut short, fails the reading. */
async function* linesOf(file: string): AsyncGenerator<string> {
  const input = fs.createReadStream(file).pipe(createGunzip());
  const reader = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const refusal = (err: Error) =>
    new BackupError(`${file} is not a gzip'd Firebreak backup, or is cut short (${err.message}); nothing was restored.`);
  let failure: Error | null = null;
  input.on('error', (err) => {
    failure = err;
    reader.close();
  });
  try {
    for await (const line of reader) yield line;
  } catch (err) {
    throw refusal(err as Error);
  } finally {
    reader.close();
    input.destroy();
  }
  const failed = failure as Error | null;
  if (failed) throw refusal(failed);
}

/**
 * Restores a backup file: refuses one from a newer Firebreak; brings an empty database's schema
 * to the backup's level, loads it in one transaction, then migrates on to this version's level.
 */
export async function restoreFromFile(database: Database, file: string, options: { force: boolean }): Promise<BackupSummary> {
  if (!fs.existsSync(file)) throw new BackupError(`There is no file ${file}.`);
  const lines = linesOf(file);
  try {
    const first = await lines.next();
    const header = parseBackupHeader(first.done ? undefined : first.value);
    const latest = latestMigrationLevel();
    if (header.migration.when > latest.when) {
      throw new BackupError(
        `This backup comes from a newer Firebreak (${header.migration.count} migrations; this version knows ${latest.count}). Restore it with that version or a later one.`,
      );
    }
    const current = await readMigrationLevel(database.db);
    if (current.when > header.migration.when) {
      throw new BackupError(
        `This database's schema is newer than the backup's (${current.count} migrations against ${header.migration.count}). Restore into a new, empty database: restore builds the backup's schema there, loads it, then upgrades it.`,
      );
    }
    if (current.when < header.migration.when) await migrateDatabase(database, { upToWhen: header.migration.when });
    const summary = await restoreBackup(database.db, lines, options);
    await migrateDatabase(database);
    return summary;
  } finally {
    await lines.return(undefined);
  }
}
