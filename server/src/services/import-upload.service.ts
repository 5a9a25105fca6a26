import { randomUUID } from 'node:crypto';
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
import {
  findImportRun,
  type ImportRunProgress,
  type ImportRunWithStarter,
  insertImportRun,
  listImportRuns,
  updateImportRun,
} from '../repositories/import-runs.repository.js';
import { findUserById } from '../repositories/users.repository.js';
import type { ServiceDeps } from './deps.js';
import { importGeneric } from './generic-import.service.js';
import { ImportRefused, type ImportReport, importServiceNow } from './servicenow-import.service.js';
import { IMPORT_LEASE_MS, type TicketImportInput } from './ticket-import.service.js';

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
/** Refused rows listed in a report (all are counted). */
const REFUSED_LISTED = 500;

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

export interface ImportOptions {
  fileName: string;
  dateFormat?: string;
  timeZone: string;
  /** A generic file's column mapping; absent: ServiceNow's export. Its date format and zone win. */
  mapping?: GenericMapping;
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

/** The import the options ask for: ServiceNow's export, or a generic file through its mapping. */
function runImport(
  deps: ServiceDeps,
  options: ImportOptions,
  input: Omit<TicketImportInput, 'mapping' | 'dateFormat' | 'timeZone'>,
): Promise<ImportReport> {
  if (options.mapping) {
    return importGeneric(
      deps,
      {
        ...options.mapping,
        dateFormat: options.mapping.dateFormat ?? options.dateFormat,
        timeZone: options.mapping.timeZone ?? options.timeZone,
      },
      input,
    );
  }
  return importServiceNow(deps, { ...input, dateFormat: options.dateFormat, timeZone: options.timeZone });
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

function presentReport(r: ImportReport): ImportReportView {
  return {
    dryRun: r.dryRun,
    rows: r.rows,
    incidents: r.incidents,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    newPeople: r.newPeople,
    newTeams: r.newTeams,
    newCategories: r.newCategories,
    renumbered: r.renumbered,
    refused: r.refused.slice(0, REFUSED_LISTED),
    refusedCount: r.refused.length,
    encoding: r.header?.encoding ?? null,
    delimiter: r.header?.delimiter ?? null,
  };
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
    startedBy: { id: row.startedById ?? '', name: row.startedByName ?? '' },
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
 * A run's progress written to its row one write at a time, the latest winning: progress comes
 * faster than writes (every percent of the check, every batch), and an older write must never
 * land after a newer one. A write that fails is told to `onError` and does not stop the import.
 */
function progressWriter(deps: ServiceDeps, id: string, onError: (err: unknown) => void) {
  let chain: Promise<void> = Promise.resolve();
  let latest: ImportRunProgress | null = null;
  let queued = false;
  const write = (progress: ImportRunProgress) => {
    latest = { ...latest, ...progress };
    if (queued) return;
    queued = true;
    chain = chain
      .then(async () => {
        queued = false;
        const next = latest;
        latest = null;
        if (next) await updateImportRun(deps.db, id, next, deps.clock.now());
      })
      .catch(onError);
  };
  return {
    write,
    /** The last write, awaited: the run's final state. */
    async finish(progress: ImportRunProgress): Promise<void> {
      write(progress);
      await chain;
    },
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
  const id = randomUUID();
  const now = deps.clock.now();
  await insertImportRun(deps.db, {
    id,
    fileName: options.fileName,
    bytes: upload.bytes,
    startedById: actor.id,
    startedAt: now,
    state: 'running',
    phase: 'checking',
    heartbeatAt: now,
  });
  const progress = progressWriter(deps, id, onUnexpected);
  let opened = 0;
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const open = () => {
    opened++;
    markStarted();
    const stream = fs.createReadStream(upload.path, { highWaterMark: 256 * 1024 });
    // The first pass (checking) is half the bar, by bytes read: written when the percent moves.
    if (opened === 1) {
      let read = 0;
      let shown = 0;
      stream.on('data', (chunk) => {
        read += chunk.length;
        const percent = Math.min(50, Math.floor((read / upload.bytes) * 50));
        if (percent <= shown) return;
        shown = percent;
        progress.write({ percent });
      });
    }
    return stream;
  };
  const task = runImport(deps, options, {
    open,
    dryRun: false,
    holder: await holderOf(deps, actor, options.fileName),
    batchSize: 50,
    onProgress: (p) => {
      progress.write({
        rows: p.rows,
        incidents: p.incidents,
        ...(p.phase === 'writing'
          ? { phase: 'writing', percent: 50 + (p.totalRows ? Math.min(50, Math.floor((p.rows / p.totalRows) * 50)) : 0) }
          : {}),
      });
    },
  }).then(
    (report) =>
      progress.finish({
        state: 'done',
        phase: 'writing',
        percent: 100,
        rows: report.rows,
        incidents: report.incidents,
        report: presentReport(report),
        finishedAt: deps.clock.now(),
      }),
    async (err: unknown) => {
      if (!(err instanceof CsvError || err instanceof ImportRefused)) onUnexpected(err);
      await progress.finish({
        state: 'failed',
        error:
          err instanceof CsvError || err instanceof ImportRefused
            ? err.message
            : 'The import stopped on an unexpected error; see the server log. Running it again finishes the job without doubling anything.',
        finishedAt: deps.clock.now(),
      });
      return err;
    },
  );
  const failure = await Promise.race([started.then(() => undefined), task]);
  if (failure instanceof ImportRefused) {
    await upload.discard();
    throw new AppError('conflict', failure.message, { errors: [{ field: 'file', message: failure.message }] });
  }
  if (failure instanceof CsvError) {
    await upload.discard();
    throw refusedFile(failure);
  }
  void task.finally(() => upload.discard());
  return getImportRun(deps, id);
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
