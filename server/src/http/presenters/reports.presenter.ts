import type { KpiId } from '../../../../core/kpis/catalogue.js';
import { kpiTable, toCsv } from '../../../../core/kpis/csv.js';
import type { KpiReportResult } from '../../services/reports.service.js';

/** Instants as ISO text, everything else as computed. */
function jsonOf(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonOf);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonOf(v)]));
  return value;
}

export function presentKpiReport(report: KpiReportResult) {
  return {
    kpi: report.kpi,
    label: report.label,
    definition: report.definition,
    from: report.period.from.toISOString(),
    to: report.period.to.toISOString(),
    timeZone: report.timeZone,
    teamIds: report.teamIds,
    generatedAt: report.generatedAt.toISOString(),
    result: jsonOf(report.result) as Record<string, unknown>,
  };
}

export function kpiReportCsv<K extends KpiId>(report: KpiReportResult<K>): string {
  return toCsv(kpiTable(report.kpi, report.result));
}

/** e.g. time-to-resolve_2026-03-01_2026-03-31.csv */
export function kpiCsvFileName(report: KpiReportResult): string {
  return `${report.kpi}_${report.period.from.toISOString().slice(0, 10)}_${report.period.to.toISOString().slice(0, 10)}.csv`;
}
