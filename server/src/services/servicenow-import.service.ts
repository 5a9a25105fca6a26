import { CsvError, type CsvHeader, readCsv } from '../../../core/import/csv-source.js';
import { readRow, SERVICENOW_FIELDS } from '../../../core/import/servicenow.js';
import { DEFAULT_SERVICENOW_MAPPING } from '../../../core/import/servicenow-mapping.js';
import type { ServiceDeps } from './deps.js';
import { type ImportFormat, type ImportReport, importTickets, type TicketImportInput } from './ticket-import.service.js';

export { IMPORT_LEASE_MS, ImportRefused, type ImportReport } from './ticket-import.service.js';

/**
 * Import from ServiceNow (issue 16): its incident export as CSV, in its own column names and
 * value forms, read by core/import/servicenow.ts and written by the shared ticket importer.
 */

export const SERVICENOW_FORMAT: ImportFormat = {
  source: 'servicenow',
  label: 'ServiceNow',
  unknownRequester: 'Unknown caller (ServiceNow)',
  read: readCsv,
  checkHeader,
  readRow,
  mapping: DEFAULT_SERVICENOW_MAPPING,
};

export type ServiceNowImportInput = TicketImportInput;

export function importServiceNow(deps: ServiceDeps, input: ServiceNowImportInput): Promise<ImportReport> {
  return importTickets(deps, SERVICENOW_FORMAT, input);
}

function checkHeader(h: CsvHeader): void {
  const known = h.columns.filter((c) => (SERVICENOW_FIELDS as readonly string[]).includes(c));
  if (!h.columns.includes('number') || known.length < 2) {
    const delimiterHint = h.columns.length === 1 ? ' (only one column was found: is the delimiter right?)' : '';
    throw new CsvError(
      `Row 1 (the header) names none of the columns of ServiceNow's incident export (number, incident_state, opened_at, …)${delimiterHint}.`,
      1,
    );
  }
}
