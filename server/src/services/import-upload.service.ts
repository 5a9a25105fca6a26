import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImportReportView, ImportRunView } from '../../../core/contracts/imports.js';
import { AppError, fieldError } from '../../../core/errors.js';
import { CsvError } from '../../../core/import/csv-source.js';
import { checkGenericMapping, type GenericMapping } from '../../../core/import/generic-mapping.js';
import { importRunState } from '../../../core/import/import-run.js';
import type { Actor } from '../../../core/permissions.js';
import { findImportRun, type ImportRunWithStarter, listImportRuns } from '../repositories/import-runs.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { beginImportRun, type ImportOptions, presentReport, runImport } from './import-run.service.js';
import { ImportRefused } from './servicenow-import.service.js';
import { IMPORT_LEASE_MS } from './ticket-import.service.js';

export type { ImportOptions } from './import-run.service.js';

/**
 * Admin › Import (issue 16): a ServiceNow CSV, or any CSV / JSON lines file with its column
 * mapping, uploaded through the web, checked (dry run) or imported by the very services the CLI
 * uses (`importServiceNow`, `importGeneric`), as a background task of this
 * server process whose progress, kept in the run's row, the page polls (from any process). The upload streams to a temporary file (never
 * held in memory) and is refused past `maxBytes`; the one-import-at-a-time lease of the importer
 * refuses a second import, naming who runs the first and since when.
 */

/** The largest upload taken unless configured otherwise: 512 MiB (a 150,000-row export is ~60 MB). */
export const DEFAULT_IMPORT_MAX_BYTES = 512 * 1024 * 1024;

export interface UploadedFile {
  path: string;
  bytes: number;
  /** Removes the temporary file. */
  discard(): Promise<void>;
}

/**
 * Streams a request body to a temporary file, counting: past `maxBytes` the stream stops, the
 * file is removed and the upload refused with 413 naming the limit.
 */
export async function receiveUpload(body: NodeJS.ReadableStream, maxBytes: number): Promise<UploadedFile> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'firebreak-import-'));
  const file = path.join(dir, 'upload.csv');
  const discard = () => fs.promises.rm(dir, { recursive: true, force: true });
  let bytes = 0;
  // Past the limit, the rest of the body is read and dropped rather than the request destroyed,
  // so the sender gets the 413 and not a reset connection. (A body announced larger by
  // Content-Length, as browsers send it, is refused before a byte is read.)
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, bytes > maxBytes ? undefined : chunk);
    },
  });
  try {
    await pipeline(body, counter, fs.createWriteStream(file));
  } catch {
    await discard();
    throw fieldError('validation_failed', 'file', 'the upload was cut off before its end; send the file again');
  }
  if (bytes > maxBytes) {
    await discard();
    throw tooLarge(maxBytes);
  }
  if (bytes === 0) {
    await discard();
    throw fieldError('validation_failed', 'file', 'is empty: send the exported file as the request body');
  }
  return { path: file, bytes, discard };
}

export function tooLarge(maxBytes: number): AppError {
  return fieldError(
    'payload_too_large',
    'file',
    `is larger than the upload limit of ${formatBytes(maxBytes)}; import a file this large with the command line (firebreak import servicenow FILE)`,
  );
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MiB` : `${Math.round(n / 1024)} KiB`;
}

/** A column mapping sent as JSON text, checked: 400 naming each mistake (before the upload is read). */
export function parseMapping(text: string): GenericMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fieldError('validation_failed', 'mapping', 'is not JSON: send the mapping file\'s text ({"columns": {"number": "…"}, …})');
  }
  const checked = checkGenericMapping(json);
  if (checked.ok) return checked.mapping;
  throw new AppError('validation_failed', `mapping: ${checked.problems.join('; ')}`, {
    errors: checked.problems.map((message) => ({ field: 'mapping', message })),
  });
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw fieldError('validation_failed', 'timeZone', `"${timeZone}" is not a time zone (e.g. Europe/London, America/New_York, UTC)`);
  }
}

/** A file that is not an export we can read: 422 naming the file, with the reader's words (row and column). */
function refusedFile(err: CsvError): AppError {
  return fieldError('unprocessable', 'file', err.message);
}

/** The dry run: reads and checks every row, writes nothing, and says what the import would do. */
export async function checkImport(
  deps: ServiceDeps,
  actor: Actor,
  upload: UploadedFile,
  options: ImportOptions,
): Promise<ImportReportView> {
  checkTimeZone(options.timeZone);
  try {
    const report = await runImport(deps, options, {
      open: () => fs.createReadStream(upload.path, { highWaterMark: 256 * 1024 }),
      dryRun: true,
      holder: await holderOf(deps, actor, options.fileName),
    });
    return presentReport(report);
  } catch (err) {
    if (err instanceof CsvError) throw refusedFile(err);
    throw err;
  } finally {
    await upload.discard();
  }
}

async function holderOf(deps: ServiceDeps, actor: Actor, fileName: string): Promise<string> {
  const user = await findUserById(deps.db, actor.id);
  return `import of ${fileName} by ${user?.name ?? 'an admin'} (${user?.email ?? actor.id}) through Admin › Import`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The latest runs listed for the page. */
const RUNS_LISTED = 10;

function presentRun(row: ImportRunWithStarter, now: Date): ImportRunView {
  return {
    id: row.id,
    fileName: row.fileName,
    bytes: row.bytes,
    // A command-line import has no signed-in starter: who ran it where stands in.
    startedBy: { id: row.startedById ?? '', name: row.startedByName ?? row.startedFrom ?? '' },
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    state: importRunState(row.state, row.heartbeatAt, now, IMPORT_LEASE_MS),
    phase: row.phase,
    percent: row.percent,
    rows: row.rows,
    incidents: row.incidents,
    report: (row.report as ImportReportView | null) ?? null,
    error: row.error,
  };
}

/**
 * Starts the import for real in the background and answers once it holds the import lock (or
 * has already finished): a second import while one runs is refused here with 409, naming the
 * first one's holder and start. Progress, written to the run's row (any server process reads
 * it): checking counts bytes read, writing counts rows.
 */
export async function startImport(
  deps: ServiceDeps,
  actor: Actor,
  upload: UploadedFile,
  options: ImportOptions,
  /** Told of an unexpected failure (the server log): the run itself only says that it stopped. */
  onUnexpected: (err: unknown) => void = () => {},
): Promise<ImportRunView> {
  checkTimeZone(options.timeZone);
  const run = await beginImportRun(
    deps,
    { path: upload.path, fileName: options.fileName, bytes: upload.bytes, startedById: actor.id, startedFrom: null },
    options,
    { holder: await holderOf(deps, actor, options.fileName), batchSize: 50 },
    onUnexpected,
  );
  const failure = await Promise.race([run.started.then(() => undefined), run.outcome.then((o) => (o.ok ? undefined : o.error))]);
  if (failure instanceof ImportRefused) {
    await upload.discard();
    throw new AppError('conflict', failure.message, { errors: [{ field: 'file', message: failure.message }] });
  }
  if (failure instanceof CsvError) {
    await upload.discard();
    throw refusedFile(failure);
  }
  void run.outcome.finally(() => upload.discard());
  return getImportRun(deps, run.id);
}

export async function getImportRun(deps: ServiceDeps, id: string): Promise<ImportRunView> {
  // Run ids are UUIDs: anything else names no run (and is not sent to a uuid column).
  const row = UUID.test(id) ? await findImportRun(deps.db, id) : null;
  if (!row) throw new AppError('not_found', 'import not found');
  return presentRun(row, deps.clock.now());
}

/** The latest imports, newest first, whichever server process ran them. */
export async function listRecentImportRuns(deps: ServiceDeps): Promise<ImportRunView[]> {
  const now = deps.clock.now();
  return (await listImportRuns(deps.db, RUNS_LISTED)).map((row) => presentRun(row, now));
}
