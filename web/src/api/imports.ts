import type { ImportReportView, ImportRunListView, ImportRunView } from '../../../core/contracts/imports';
import type { GenericMapping } from '../../../core/import/generic-mapping';
import { ApiError, request } from './client';

/**
 * Admin › Import: the file is the request body (streamed by the browser, never read into the
 * page), the options in the query string. Not JSON, so not through `request`. With a column
 * mapping, the generic import (any CSV or JSON lines file); without, ServiceNow's export.
 */
export async function uploadImport(
  file: File,
  options: { dryRun: boolean; dateFormat?: string; timeZone?: string; mapping?: GenericMapping },
): Promise<ImportReportView | ImportRunView> {
  const query = new URLSearchParams({ dryRun: String(options.dryRun), fileName: file.name });
  if (options.dateFormat?.trim()) query.set('dateFormat', options.dateFormat.trim());
  if (options.timeZone?.trim()) query.set('timeZone', options.timeZone.trim());
  if (options.mapping) query.set('mapping', JSON.stringify(options.mapping));
  const res = await fetch(`/api/v1/imports/${options.mapping ? 'generic' : 'servicenow'}?${query}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': options.mapping ? 'application/octet-stream' : 'text/csv' },
    body: file,
  });
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    throw new ApiError(
      res.status,
      problem.title ?? 'Import refused',
      problem.errors?.[0]?.message ? `${file.name}: ${problem.errors[0].message}` : (problem.detail ?? res.statusText),
      problem.errors ?? [],
      problem,
    );
  }
  return res.json();
}

export function getImportRun(id: string): Promise<ImportRunView> {
  return request<ImportRunView>('GET', `/imports/${encodeURIComponent(id)}`);
}

/** The latest imports, newest first: after a reload the page finds the one still running. */
export function listImportRuns(): Promise<ImportRunListView> {
  return request<ImportRunListView>('GET', '/imports');
}
