import { KPIS, type KpiId } from './catalogue.js';
import type { KpiResults } from './compute.js';
import { kpiTable, toCsv } from './csv.js';
import type { KpiPeriod } from './kpi-ticket.js';
import { dayOf } from './volume.js';

/** One KPI of a report as computed for the mail. */
export interface ReportMailPart<K extends KpiId = KpiId> {
  kpi: K;
  result: KpiResults[K];
}

export interface ReportMail {
  subject: string;
  text: string;
  html: string;
  csv: string;
  csvFileName: string;
}

const HOUR = 3_600_000;
const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);
const hours = (ms: number | null) => (ms === null ? '—' : ms < HOUR ? `${Math.round(ms / 60_000)} min` : `${(ms / HOUR).toFixed(1)} h`);

/** The figure a reader takes in at a glance, in words. */
export function headline<K extends KpiId>(part: ReportMailPart<K>): string {
  const r = part.result as KpiResults[KpiId];
  switch (part.kpi) {
    case 'open-work':
      return `${(r as KpiResults['open-work']).total} open now`;
    case 'created-vs-resolved': {
      const days = (r as KpiResults['created-vs-resolved']).days;
      return `${days.reduce((s, d) => s + d.created, 0)} created, ${days.reduce((s, d) => s + d.resolved, 0)} resolved`;
    }
    case 'backlog-age': {
      const b = r as KpiResults['backlog-age'];
      return `${b.total} open; ${b.buckets.find((x) => x.bucket === 'over_30_days')?.count ?? 0} older than 30 days`;
    }
    case 'time-to-acknowledge':
    case 'time-to-resolve': {
      const d = r as KpiResults['time-to-resolve'];
      return `median ${hours(d.medianMs)}, mean ${hours(d.meanMs)} (business hours: median ${hours(d.business.medianMs)}) over ${d.count} tickets`;
    }
    case 'sla-compliance': {
      const s = r as KpiResults['sla-compliance'];
      return `${pct(s.rate)} met (${s.breached} breached of ${s.total})`;
    }
    case 'first-contact-resolution':
    case 'reassignment-rate':
    case 'reopen-rate': {
      const s = r as KpiResults['reopen-rate'];
      return `${pct(s.rate)} (${s.count} of ${s.total} resolved)`;
    }
    case 'satisfaction': {
      const s = r as KpiResults['satisfaction'];
      return s.mean === null ? 'no ratings' : `${s.mean.toFixed(1)} / 5 from ${s.count} ratings (${pct(s.satisfiedRate)} rated 4 or 5)`;
    }
    case 'major-incidents': {
      const m = r as KpiResults['major-incidents'];
      return `${m.count} declared, ${m.resolved} resolved, mean time to resolve ${hours(m.meanTimeToResolveMs)}`;
    }
  }
  return '';
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/**
 * A saved report as an e-mail: a short HTML summary (one line per KPI, with its definition) and
 * the full figures as one CSV (each KPI's table under a row naming it). Every piece of user text
 * (the report's name) is escaped in the HTML; the CSV keeps cells from running as formulas.
 */
export function reportMail(input: {
  name: string;
  period: KpiPeriod;
  timeZone: string;
  parts: ReportMailPart[];
  dashboardUrl: string;
}): ReportMail {
  const from = dayOf(input.period.from, input.timeZone);
  const to = dayOf(new Date(input.period.to.getTime() - 1), input.timeZone);
  const lines = input.parts.map((p) => ({ label: KPIS[p.kpi].label, definition: KPIS[p.kpi].definition, figure: headline(p) }));
  const text = [
    `${input.name}: ${from} to ${to} (${input.timeZone})`,
    '',
    ...lines.map((l) => `${l.label}: ${l.figure}`),
    '',
    `Every figure, in the attached CSV. The dashboard: ${input.dashboardUrl}`,
  ].join('\n');
  const html = `<div style="font-family:sans-serif"><h1 style="font-size:1.2em">${escapeHtml(input.name)}</h1><p>${from} to ${to} (${escapeHtml(input.timeZone)})</p><table style="border-collapse:collapse">${lines
    .map(
      (l) =>
        `<tr><th scope="row" style="text-align:left;padding:4px 12px 4px 0;vertical-align:top">${escapeHtml(l.label)}</th><td style="padding:4px 0">${escapeHtml(l.figure)}<br><small style="color:#555">${escapeHtml(l.definition)}</small></td></tr>`,
    )
    .join('')}</table><p>Every figure is in the attached CSV. <a href="${escapeHtml(input.dashboardUrl)}">Open the dashboard</a></p></div>`;
  const rows = input.parts.flatMap((p, i) => [...(i > 0 ? [[]] : []), [KPIS[p.kpi].label], ...kpiTable(p.kpi, p.result)]);
  const slug =
    input.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'report';
  return {
    subject: `${input.name} — ${from} to ${to}`,
    text,
    html,
    csv: toCsv(rows),
    csvFileName: `${slug}_${from}_${to}.csv`,
  };
}
