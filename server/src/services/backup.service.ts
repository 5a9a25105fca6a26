import type { Clock } from '../adapters/clock.js';
import type { DatabaseKind, Db } from '../db/client.js';
import {
  addForeignKey,
  countPeopleAndTickets,
  dropForeignKey,
  insertJsonRows,
  listColumns,
  listForeignKeys,
  listStoredColumns,
  listTables,
  listTablesWithUserTriggers,
  type MigrationLevel,
  notifyListeners,
  readMigrationLevel,
  readSequences,
  readTableRows,
  type SequenceValue,
  setSequence,
  setUserTriggers,
  truncateTables,
} from '../repositories/backup.repository.js';
import { CONFIG_CHANNEL, CONFIG_TABLES } from './config-cache.js';

/**
 * A backup is text lines (the CLI gzips them): a header, then per table a `#{"table",…}` line,
 * its rows as JSON (one per line, as row_to_json wrote them), a `#{"end",…}` line with the count;
 * then the sequences and a `#{"complete"…}` line. Meta lines start with `#`, which no JSON row
 * does. The same lines come from and go to either engine.
 */
export const BACKUP_FORMAT = 1;

export interface BackupHeader {
  firebreak: 'backup';
  format: typeof BACKUP_FORMAT;
  engine: DatabaseKind;
  takenAt: string;
  migration: MigrationLevel;
}

export interface BackupSummary {
  tables: number;
  rows: number;
  migration: MigrationLevel;
}

/** A refusal or a broken file, in words for the person running the command. */
export class BackupError extends Error {}

/** Rows per cursor fetch and per insert: a few hundred rows amortise a round trip. */
const BATCH_ROWS = 500;
/** …unless they are large (attachment parts): an insert carries at most about this many characters. */
const BATCH_CHARS = 8_000_000;

/**
 * Writes every table of the database as it stood at one instant: one REPEATABLE READ, read-only
 * transaction, so on PostgreSQL the server may go on working meanwhile and the backup is still
 * one consistent snapshot (what pg_dump does). `write` resolves when the line may be followed by
 * the next (the file's backpressure), so memory holds one batch of rows.
 */
export async function writeBackup(
  deps: { db: Db; kind: DatabaseKind; clock: Clock },
  write: (text: string) => Promise<void> | void,
): Promise<BackupSummary> {
  return deps.db.transaction(
    async (tx) => {
      const migration = await readMigrationLevel(tx);
      const header: BackupHeader = {
        firebreak: 'backup',
        format: BACKUP_FORMAT,
        engine: deps.kind,
        takenAt: deps.clock.now().toISOString(),
        migration,
      };
      await write(`${JSON.stringify(header)}\n`);
      const tables = await listTables(tx);
      let total = 0;
      for (const table of tables) {
        await write(`#${JSON.stringify({ table, columns: await listColumns(tx, table) })}\n`);
        let rows = 0;
        for await (const batch of readTableRows(tx, table, BATCH_ROWS)) {
          rows += batch.length;
          await write(`${batch.join('\n')}\n`);
        }
        total += rows;
        await write(`#${JSON.stringify({ end: table, rows })}\n`);
      }
      await write(`#${JSON.stringify({ sequences: await readSequences(tx) })}\n`);
      await write(`#${JSON.stringify({ complete: true, tables: tables.length, rows: total })}\n`);
      return { tables: tables.length, rows: total, migration };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** The first line of a backup, checked to be one this version can read. */
export function parseBackupHeader(line: string | undefined): BackupHeader {
  let header: Partial<BackupHeader> | null = null;
  try {
    header = line ? (JSON.parse(line) as Partial<BackupHeader>) : null;
  } catch {
    header = null;
  }
  if (header?.firebreak !== 'backup' || typeof header.migration?.when !== 'number') {
    throw new BackupError('This file is not a Firebreak backup (its first line is not a backup header).');
  }
  if (header.format !== BACKUP_FORMAT) {
    throw new BackupError(`This backup is in format ${header.format}; this version of Firebreak reads format ${BACKUP_FORMAT}.`);
  }
  return header as BackupHeader;
}

/**
 * Restores a backup's lines (after its header) into a database whose schema is at the backup's
 * migration level, in ONE transaction: every table is emptied and refilled, foreign keys are
 * dropped while rows arrive (tables refer to each other and to themselves) and added back at
 * the end — which checks every row — and the sequences are set. A file cut short, a row that
 * does not fit or a broken reference rolls the whole restore back: the database is as it was.
 * Refuses a database holding people or tickets unless `force`.
 */
export async function restoreBackup(db: Db, lines: AsyncIterator<string>, options: { force: boolean }): Promise<BackupSummary> {
  const migration = await readMigrationLevel(db);
  if (!options.force && (await countPeopleAndTickets(db)) > 0) {
    throw new BackupError(
      'This database already holds people or tickets. Restore into a new, empty database, or add --force to replace everything in it with the backup.',
    );
  }
  return db.transaction(async (tx) => {
    const keys = await listForeignKeys(tx);
    for (const key of keys) await dropForeignKey(tx, key);
    const triggered = await listTablesWithUserTriggers(tx);
    for (const table of triggered) await setUserTriggers(tx, table, false);
    const tables = new Set(await listTables(tx));
    await truncateTables(tx, [...tables]);

    let table: string | null = null;
    let stored: string[] = [];
    let batch: string[] = [];
    let chars = 0;
    let tableRows = 0;
    let total = 0;
    let restoredTables = 0;
    let complete = false;
    const flush = async () => {
      if (table && batch.length > 0) await insertJsonRows(tx, table, stored, batch);
      batch = [];
      chars = 0;
    };
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const line = next.value;
      if (line === '') continue;
      if (complete) throw new BackupError('This backup has lines after its end: it is not one file as Firebreak wrote it.');
      if (!line.startsWith('#')) {
        if (!table) throw new BackupError('This backup has a row outside any table: it is damaged.');
        batch.push(line);
        chars += line.length;
        tableRows += 1;
        if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush();
        continue;
      }
      const meta = JSON.parse(line.slice(1)) as {
        table?: string;
        columns?: string[];
        end?: string;
        rows?: number;
        tables?: number;
        sequences?: SequenceValue[];
        complete?: boolean;
      };
      if (meta.table !== undefined) {
        if (!tables.has(meta.table)) throw new BackupError(`The backup has a table "${meta.table}" that this database does not have.`);
        const columns = await listColumns(tx, meta.table);
        if (JSON.stringify(columns) !== JSON.stringify(meta.columns)) {
          throw new BackupError(`The table "${meta.table}" has other columns in the backup than in this database: the schemas differ.`);
        }
        table = meta.table;
        stored = await listStoredColumns(tx, meta.table);
        tableRows = 0;
      } else if (meta.end !== undefined) {
        await flush();
        if (meta.end !== table || meta.rows !== tableRows) {
          throw new BackupError(
            `The table "${meta.end}" in the backup should have ${meta.rows} rows but has ${tableRows}: the file is damaged.`,
          );
        }
        total += tableRows;
        restoredTables += 1;
        table = null;
      } else if (meta.sequences) {
        for (const sequence of meta.sequences) await setSequence(tx, sequence);
      } else if (meta.complete) {
        if (meta.rows !== total || meta.tables !== restoredTables)
          throw new BackupError('The backup’s totals do not match its rows: the file is damaged.');
        complete = true;
      }
    }
    if (!complete) throw new BackupError('The backup is cut short (its last line is missing): nothing was restored.');

    for (const key of keys) await addForeignKey(tx, key);
    for (const t of triggered) await setUserTriggers(tx, t, true);
    // The configuration triggers were off while the tables were refilled: servers still running on
    // this database are told every cached table changed, so none keeps the configuration from before.
    for (const configTable of CONFIG_TABLES) await notifyListeners(tx, CONFIG_CHANNEL, configTable);
    return { tables: restoredTables, rows: total, migration };
  });
}
