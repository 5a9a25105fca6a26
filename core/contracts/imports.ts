import { z } from 'zod';
import { Timestamp } from './common.js';

/** Admin › Import (issue 16): the upload's options, in the query string (the body is the file itself). */
export const ImportUploadQuery = z.strictObject({
  /** `true` reads and checks the whole file and writes nothing. */
  dryRun: z.enum(['true', 'false']).default('true'),
  /** The file's name, for the record of who imported what. */
  fileName: z.string().trim().min(1).max(255).default('upload.csv'),
  /** The export's date format when it is not detected, e.g. `D/M/YYYY HH:mm`. */
  dateFormat: z.string().trim().min(1).max(40).optional(),
  /** The time zone the export's dates are in (IANA name). */
  timeZone: z.string().trim().min(1).max(64).default('UTC'),
});
export type ImportUploadQuery = z.infer<typeof ImportUploadQuery>;

/**
 * A generic file's upload (CSV or JSON lines): the same options, and its column mapping as JSON
 * (the mapping file's shape, checked by core/import/generic-mapping.ts checkGenericMapping).
 */
export const GenericImportUploadQuery = ImportUploadQuery.extend({
  mapping: z.string().min(2).max(8000, 'must be at most 8,000 characters'),
});

export const ImportReport = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  incidents: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  newPeople: z.number().int(),
  newTeams: z.number().int(),
  newCategories: z.number().int(),
  renumbered: z.number().int(),
  /** Each row not taken: its row number (the header is row 1), the column at fault and why, in words. */
  refused: z.array(z.object({ row: z.number().int(), column: z.string(), reason: z.string() })),
  /** Only the first refusals are listed; this many in all. */
  refusedCount: z.number().int(),
  encoding: z.enum(['utf-8', 'latin1']).nullable(),
  delimiter: z.string().nullable(),
});
export type ImportReportView = z.infer<typeof ImportReport>;

/** `interrupted`: its server process stopped mid-way (core/import/import-run.ts); running it again finishes it. */
export const IMPORT_RUN_STATES = ['running', 'done', 'failed', 'interrupted'] as const;

/**
 * An import running (or run) on the server, for the progress bar: polled until it is no longer
 * running. Kept in the database, so any server process answers it, before and after a reload.
 */
export const ImportRun = z.object({
  id: z.string(),
  fileName: z.string(),
  bytes: z.number().int(),
  startedBy: z.object({ id: z.string(), name: z.string() }),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  state: z.enum(IMPORT_RUN_STATES),
  /** `checking` reads every row first; `writing` writes the incidents. */
  phase: z.enum(['checking', 'writing']),
  /** 0–100 over both phases (checking by bytes read, writing by rows written). */
  percent: z.number().int().min(0).max(100),
  rows: z.number().int(),
  incidents: z.number().int(),
  report: ImportReport.nullable(),
  /** Why it failed, in words. */
  error: z.string().nullable(),
});
export type ImportRunView = z.infer<typeof ImportRun>;

/** The latest imports, newest first: the page finds the one running (or the last one) after a reload. */
export const ImportRunList = z.object({ runs: z.array(ImportRun) });
export type ImportRunListView = z.infer<typeof ImportRunList>;

export const ImportRunParams = z.strictObject({ id: z.string().min(1).max(64) });
