import { CsvError, type CsvHeader } from '../../../core/import/csv-source.js';
import { type GenericMapping, headerProblem, readerTables, readGenericRow } from '../../../core/import/generic-mapping.js';
import { readRecords } from '../../../core/import/records.js';
import type { ServiceDeps } from './deps.js';
import { type ImportFormat, type ImportReport, importTickets, type TicketImportInput } from './ticket-import.service.js';

/**
 * The generic import (issue 16, item 6): any CSV or JSON lines file, through the desk's column
 * mapping (core/import/generic-mapping.ts), written by the same importer as ServiceNow's export —
 * silent, idempotent, resumable, with a dry run and progress.
 */

/** How a file read through `mapping` reads: rows renamed into the reader's columns, refusals told back in the file's. */
export function genericFormat(mapping: GenericMapping): ImportFormat {
  return {
    source: 'generic',
    label: 'the imported file',
    unknownRequester: 'Unknown requester (import)',
    read: readRecords,
    checkHeader: (h: CsvHeader) => {
      // A JSON lines file's first object may leave optional keys out: only the required must be there.
      const problem =
        h.format === 'jsonl'
          ? headerProblem(h.columns, { ...mapping, columns: { number: mapping.columns.number } }, 'Row 1 (the first object)')
          : headerProblem(h.columns, mapping);
      if (problem) throw new CsvError(problem, 1);
    },
    readRow: (row, values, options) => readGenericRow(row, values, options, mapping),
    mapping: readerTables(mapping),
  };
}

export function importGeneric(
  deps: ServiceDeps,
  mapping: GenericMapping,
  input: Omit<TicketImportInput, 'mapping' | 'dateFormat' | 'timeZone'>,
): Promise<ImportReport> {
  return importTickets(deps, genericFormat(mapping), { ...input, dateFormat: mapping.dateFormat, timeZone: mapping.timeZone ?? 'UTC' });
}
