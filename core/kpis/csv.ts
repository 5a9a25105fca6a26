import type { KpiId } from './catalogue.js';
import type { KpiResults } from './compute.js';

export type Cell = string | number | null | Date;

/** A KPI's result as a table: a header row, then one row per figure (per day, bucket, incident …). */
export function kpiTable<K extends KpiId>(kpi: K, result: KpiResults[K]): Cell[][] {
  const r = result as KpiResults[KpiId];
  switch (kpi) {
    case 'open-work': {
      const { cells } = r as KpiResults['open-work'];
      return [['priority', 'state', 'count'], ...cells.map((c) => [c.priority, c.state, c.count])];
    }
    case 'created-vs-resolved': {
      const { days } = r as KpiResults['created-vs-resolved'];
      return [['day', 'created', 'resolved'], ...days.map((d) => [d.day, d.created, d.resolved])];
    }
    case 'backlog-age': {
      const { buckets } = r as KpiResults['backlog-age'];
      return [['age', 'count'], ...buckets.map((b) => [b.label, b.count])];
    }
    case 'time-to-acknowledge':
    case 'time-to-resolve': {
      const d = r as KpiResults['time-to-resolve'];
      return [
        ['measure', 'tickets', 'mean_hours', 'median_hours'],
        ['wall-clock', d.count, hours(d.meanMs), hours(d.medianMs)],
        ['business hours', d.business.count, hours(d.business.meanMs), hours(d.business.medianMs)],
      ];
    }
    case 'sla-compliance': {
      const s = r as KpiResults['sla-compliance'];
      return [
        ['tickets', 'met', 'breached', 'rate'],
        [s.total, s.count, s.breached, s.rate],
      ];
    }
    case 'first-contact-resolution':
    case 'reassignment-rate':
    case 'reopen-rate': {
      const s = r as KpiResults['reopen-rate'];
      return [
        ['tickets', 'count', 'rate'],
        [s.total, s.count, s.rate],
      ];
    }
    case 'satisfaction': {
      const s = r as KpiResults['satisfaction'];
      return [['rating', 'count'], ...s.distribution.map((d) => [d.rating, d.count])];
    }
    case 'major-incidents': {
      const m = r as KpiResults['major-incidents'];
      return [
        ['number', 'title', 'priority', 'major_since', 'resolved_at', 'time_to_resolve_hours'],
        ...m.items.map((i) => [i.number, i.title, i.priority, i.majorSince, i.resolvedAt, hours(i.timeToResolveMs)]),
      ];
    }
  }
  return [];
}

function hours(ms: number | null): number | null {
  return ms === null ? null : Math.round((ms / 3_600_000) * 100) / 100;
}

/**
 * RFC 4180 text. A cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at
 * the start — user text such as a ticket title) is written with a leading apostrophe.
 */
export function toCsv(rows: readonly Cell[][]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** One CSV record (with its line end), for a file written row by row as it streams. */
export function csvLine(row: readonly Cell[]): string {
  return `${row.map(csvCell).join(',')}\r\n`;
}

export function csvCell(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'number') return String(cell);
  const text = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
