import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { ImportReportView } from '../../../core/contracts/imports.js';
import { CsvError } from '../../../core/import/csv-source.js';
import type { GenericMapping } from '../../../core/import/generic-mapping.js';
import type { ServiceNowMapping } from '../../../core/import/servicenow-mapping.js';
import { type ImportRunProgress, insertImportRun, updateImportRun } from '../repositories/import-runs.repository.js';
import type { ServiceDeps } from './deps.js';
import { importGeneric } from './generic-import.service.js';
import { ImportRefused, type ImportReport, importServiceNow } from './servicenow-import.service.js';
import type { TicketImportInput } from './ticket-import.service.js';

/**
 * An import for real, kept as a run in `import_runs` as it goes (issue 16): the one bookkeeping
 * Admin › Import (in the background) and `firebreak import` (awaited) both go through, so the page
 * lists every import, whoever started it from where, with its progress, report or failure.
 */

/** Refused rows listed in a report (all are counted). */
const REFUSED_LISTED = 500;

export interface ImportOptions {
  fileName: string;
  dateFormat?: string;
  timeZone: string;
  /** A generic file's column mapping; absent: ServiceNow's export. Its date format and zone win. */
  mapping?: GenericMapping;
  /** ServiceNow's value tables (states, hold reasons, channels …) when not the defaults. */
  valueMapping?: ServiceNowMapping;
}

/** The import the options ask for: ServiceNow's export, or a generic file through its mapping. */
export function runImport(
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
  return importServiceNow(deps, { ...input, dateFormat: options.dateFormat, timeZone: options.timeZone, mapping: options.valueMapping });
}

export function presentReport(r: ImportReport): ImportReportView {
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

export interface ImportRunFile {
  /** The file on disk, read twice. */
  path: string;
  fileName: string;
  bytes: number;
  /** The signed-in person who started it, or null (the command line). */
  startedById: string | null;
  /** Who ran it where when no signed-in person did ("ana on desk-01, command line"). */
  startedFrom: string | null;
}

export type ImportRunOutcome = { ok: true; report: ImportReport } | { ok: false; error: unknown };

/**
 * Writes the run's row, starts the import and keeps the row up to date: checking counts bytes
 * read (half the bar), writing counts rows. `started` settles once the import has opened the file
 * (it holds the import lock by then); `outcome` once the run's row says how it ended. Never rejects.
 */
export async function beginImportRun(
  deps: ServiceDeps,
  file: ImportRunFile,
  options: ImportOptions,
  input: Pick<TicketImportInput, 'holder' | 'batchSize' | 'onProgress'>,
  /** Told of an unexpected failure (a log): the run itself only says that it stopped. */
  onUnexpected: (err: unknown) => void = () => {},
): Promise<{ id: string; started: Promise<void>; outcome: Promise<ImportRunOutcome> }> {
  const id = randomUUID();
  const now = deps.clock.now();
  await insertImportRun(deps.db, {
    id,
    fileName: file.fileName,
    bytes: file.bytes,
    startedById: file.startedById,
    startedFrom: file.startedFrom,
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
    const stream = fs.createReadStream(file.path, { highWaterMark: 256 * 1024 });
    if (opened === 1) {
      let read = 0;
      let shown = 0;
      stream.on('data', (chunk) => {
        read += chunk.length;
        const percent = Math.min(50, Math.floor((read / Math.max(1, file.bytes)) * 50));
        if (percent <= shown) return;
        shown = percent;
        progress.write({ percent });
      });
    }
    return stream;
  };
  const outcome = runImport(deps, options, {
    open,
    dryRun: false,
    holder: input.holder,
    batchSize: input.batchSize,
    onProgress: (p) => {
      input.onProgress?.(p);
      progress.write({
        rows: p.rows,
        incidents: p.incidents,
        ...(p.phase === 'writing'
          ? { phase: 'writing', percent: 50 + (p.totalRows ? Math.min(50, Math.floor((p.rows / p.totalRows) * 50)) : 0) }
          : {}),
      });
    },
  }).then(
    async (report): Promise<ImportRunOutcome> => {
      await progress.finish({
        state: 'done',
        phase: 'writing',
        percent: 100,
        rows: report.rows,
        incidents: report.incidents,
        report: presentReport(report),
        finishedAt: deps.clock.now(),
      });
      return { ok: true, report };
    },
    async (error: unknown): Promise<ImportRunOutcome> => {
      const expected = error instanceof CsvError || error instanceof ImportRefused;
      if (!expected) onUnexpected(error);
      await progress.finish({
        state: 'failed',
        error: expected
          ? error.message
          : 'The import stopped on an unexpected error; see the server log. Running it again finishes the job without doubling anything.',
        finishedAt: deps.clock.now(),
      });
      return { ok: false, error };
    },
  );
  return { id, started, outcome };
}
