/**
 * ServiceNow's incident export as the tests and the import bench write it: the columns of the
 * public event-log dataset, in its order, and its rows as CSV (`?` for a missing value, as
 * ServiceNow writes it; a value with a quote, comma, semicolon or line break quoted).
 */
export const SERVICENOW_EXPORT_COLUMNS = [
  'number',
  'incident_state',
  'active',
  'reassignment_count',
  'reopen_count',
  'sys_mod_count',
  'made_sla',
  'caller_id',
  'opened_by',
  'opened_at',
  'sys_created_by',
  'sys_created_at',
  'sys_updated_by',
  'sys_updated_at',
  'contact_type',
  'location',
  'category',
  'subcategory',
  'u_symptom',
  'cmdb_ci',
  'impact',
  'urgency',
  'priority',
  'assignment_group',
  'assigned_to',
  'knowledge',
  'u_priority_confirmation',
  'notify',
  'problem_id',
  'rfc',
  'vendor',
  'caused_by',
  'closed_code',
  'resolved_by',
  'resolved_at',
  'closed_at',
] as const;

export type ServiceNowExportRow = Partial<Record<(typeof SERVICENOW_EXPORT_COLUMNS)[number], string>>;

const quote = (v: string) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One row of the export, in the columns' order. */
export function serviceNowCsvLine(row: ServiceNowExportRow, delimiter = ','): string {
  return SERVICENOW_EXPORT_COLUMNS.map((c) => quote(row[c] ?? '?')).join(delimiter);
}

/** A whole export: the header, then one line per row (CRLF, as ServiceNow writes it). */
export function serviceNowCsv(rows: readonly ServiceNowExportRow[], delimiter = ','): string {
  return `${[SERVICENOW_EXPORT_COLUMNS.join(delimiter), ...rows.map((r) => serviceNowCsvLine(r, delimiter))].join('\r\n')}\r\n`;
}
