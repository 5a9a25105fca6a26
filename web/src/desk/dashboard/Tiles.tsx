import { Link } from 'react-router';
import type { KpiId } from '../../../../core/kpis/catalogue';
import { humanMessage } from '../../api/client';
import { durationWords, percent } from './figures';
import type { Behind } from './filters';
import { csvUrl, useKpi } from './reports-api';

type Drill = (behind: Behind) => string;

/**
 * One figure, its label, a line of context and its one-line definition; the whole tile is a link
 * to the tickets behind the figure.
 */
function Tile({
  kpi,
  query,
  label,
  figure,
  detail,
  definition,
  to,
  loading,
  error,
}: {
  kpi: KpiId;
  query: Record<string, string>;
  label: string;
  figure: string;
  detail: string;
  definition?: string;
  to: string;
  loading: boolean;
  /** The figure could not be read: say so rather than show a zero. */
  error: unknown;
}) {
  return (
    <article className="kpi-tile card" aria-busy={loading}>
      <Link to={to} className="kpi-tile-link">
        <h2 className="kpi-label">{label}</h2>
        <p className="kpi-figure">{error ? '—' : loading ? '…' : figure}</p>
        <p className="kpi-detail">{error ? `Could not be read: ${humanMessage(error)}` : loading ? '' : detail}</p>
      </Link>
      <p className="kpi-definition muted">{definition}</p>
      <a className="kpi-csv" href={csvUrl(kpi, query)} download aria-label={`Download ${label} as CSV`}>
        CSV
      </a>
    </article>
  );
}

export function Tiles({ query, drill }: { query: Record<string, string>; drill: Drill }) {
  const open = useKpi('open-work', query);
  const ttr = useKpi('time-to-resolve', query);
  const tta = useKpi('time-to-acknowledge', query);
  const sla = useKpi('sla-compliance', query);
  const fcr = useKpi('first-contact-resolution', query);
  const reassigned = useKpi('reassignment-rate', query);
  const reopened = useKpi('reopen-rate', query);
  const rated = useKpi('satisfaction', query);
  const of = (n: number | undefined, noun: string) => `of ${n ?? 0} ${noun}${n === 1 ? '' : 's'}`;
  return (
    <div className="kpi-tiles">
      <Tile
        kpi="open-work"
        query={query}
        label="Open now"
        figure={String(open.data?.result.total ?? 0)}
        detail={`${open.data?.result.cells.filter((c) => c.priority <= 2).reduce((s, c) => s + c.count, 0) ?? 0} of them P1 or P2`}
        definition={open.data?.definition}
        to={drill({ open: true })}
        loading={open.isPending}
        error={open.error}
      />
      <Tile
        kpi="time-to-resolve"
        query={query}
        label="Time to resolve (median)"
        figure={durationWords(ttr.data?.result.medianMs ?? null)}
        detail={`mean ${durationWords(ttr.data?.result.meanMs ?? null)} · business hours ${durationWords(ttr.data?.result.business.medianMs ?? null)} · ${ttr.data?.result.count ?? 0} resolved`}
        definition={ttr.data?.definition}
        to={drill({ resolvedInPeriod: true })}
        loading={ttr.isPending}
        error={ttr.error}
      />
      <Tile
        kpi="time-to-acknowledge"
        query={query}
        label="Time to acknowledge (median)"
        figure={durationWords(tta.data?.result.medianMs ?? null)}
        detail={`mean ${durationWords(tta.data?.result.meanMs ?? null)} · business hours ${durationWords(tta.data?.result.business.medianMs ?? null)} · ${tta.data?.result.count ?? 0} answered`}
        definition={tta.data?.definition}
        to={drill({ openedInPeriod: true })}
        loading={tta.isPending}
        error={tta.error}
      />
      <Tile
        kpi="sla-compliance"
        query={query}
        label="SLA compliance"
        figure={percent(sla.data?.result.rate ?? null)}
        detail={`${sla.data?.result.breached ?? 0} breached ${of(sla.data?.result.total, 'ticket')} with an SLA`}
        definition={sla.data?.definition}
        to={drill({ resolvedInPeriod: true, slaBreached: true })}
        loading={sla.isPending}
        error={sla.error}
      />
      <Tile
        kpi="first-contact-resolution"
        query={query}
        label="First-contact resolution"
        figure={percent(fcr.data?.result.rate ?? null)}
        detail={`${fcr.data?.result.count ?? 0} ${of(fcr.data?.result.total, 'resolved ticket')}`}
        definition={fcr.data?.definition}
        to={drill({ resolvedInPeriod: true, firstContact: true })}
        loading={fcr.isPending}
        error={fcr.error}
      />
      <Tile
        kpi="reassignment-rate"
        query={query}
        label="Reassigned"
        figure={percent(reassigned.data?.result.rate ?? null)}
        detail={`${reassigned.data?.result.count ?? 0} ${of(reassigned.data?.result.total, 'resolved ticket')}`}
        definition={reassigned.data?.definition}
        to={drill({ resolvedInPeriod: true, reassigned: true })}
        loading={reassigned.isPending}
        error={reassigned.error}
      />
      <Tile
        kpi="reopen-rate"
        query={query}
        label="Reopened"
        figure={percent(reopened.data?.result.rate ?? null)}
        detail={`${reopened.data?.result.count ?? 0} ${of(reopened.data?.result.total, 'resolved ticket')}`}
        definition={reopened.data?.definition}
        to={drill({ resolvedInPeriod: true, reopened: true })}
        loading={reopened.isPending}
        error={reopened.error}
      />
      <Tile
        kpi="satisfaction"
        query={query}
        label="Satisfaction"
        figure={rated.data?.result.mean == null ? '—' : `${rated.data.result.mean.toFixed(1)} / 5`}
        detail={`${percent(rated.data?.result.satisfiedRate ?? null)} rated 4 or 5 · ${rated.data?.result.count ?? 0} ratings`}
        definition={rated.data?.definition}
        to={drill({ ratedInPeriod: true })}
        loading={rated.isPending}
        error={rated.error}
      />
    </div>
  );
}
