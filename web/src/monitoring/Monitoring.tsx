import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Check, CheckResult } from '../../../core/contracts/alerts';
import { api, humanMessage } from '../api/client';
import { Banner, EmptyState, Loading, PageHeader, When } from '../ui/kit';
import { AlertsTable, type AlertT } from './AlertsTable';

type CheckT = z.infer<typeof Check>;
type ResultT = z.infer<typeof CheckResult>;

/** What monitoring sent (deduplicated alerts) and what Firebreak watches itself (checks). */
export default function Monitoring() {
  const alerts = useQuery({
    queryKey: ['alerts'],
    queryFn: () => api<{ items: AlertT[] }>('GET', '/alerts?limit=100'),
    refetchInterval: 30_000,
  });
  const checks = useQuery({ queryKey: ['checks'], queryFn: () => api<{ items: CheckT[] }>('GET', '/checks') });
  return (
    <div className="stack">
      <PageHeader title="Monitoring">
        <a className="btn" href="/desk/queue/open?kind=disturbance">
          Disturbances
        </a>
      </PageHeader>
      <section className="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Alerts</h2>
        {alerts.isPending ? (
          <Loading what="alerts" />
        ) : alerts.error ? (
          <Banner tone="danger">{humanMessage(alerts.error)}</Banner>
        ) : alerts.data.items.length === 0 ? (
          <EmptyState title="No alerts yet">
            Point Alertmanager, Grafana or a PagerDuty client at an integration (Admin › Integrations).
          </EmptyState>
        ) : (
          <AlertsTable alerts={alerts.data.items} />
        )}
      </section>
      <section className="card" aria-labelledby="checks-title">
        <h2 id="checks-title">Checks</h2>
        {(checks.data?.items ?? []).length === 0 ? (
          <p className="muted">No built-in checks. Admins add HTTP(S) and TCP checks with POST /api/v1/checks.</p>
        ) : (
          <ul className="plain-list">
            {checks.data?.items.map((c) => (
              <CheckRow key={c.id} check={c} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function CheckRow({ check }: { check: CheckT }) {
  const results = useQuery({
    queryKey: ['check-results', check.id],
    queryFn: () => api<{ items: ResultT[] }>('GET', `/checks/${check.id}/results`),
    refetchInterval: 60_000,
  });
  const items = [...(results.data?.items ?? [])].sort((a, b) => a.at.localeCompare(b.at)).slice(-120);
  const last = items[items.length - 1];
  return (
    <li className="sla-item">
      <div className="row">
        <strong>{check.name}</strong>
        <span className="muted mono">{check.target}</span>
        {last && <span className={`badge ${last.ok ? 'sla-met' : 'sla-breached'}`}>{last.ok ? 'up' : 'failing'}</span>}
        {check.baseline.drifting && <span className="badge sla-warning">slower than usual</span>}
        {check.lastRunAt && (
          <span className="muted">
            checked <When at={check.lastRunAt} />
          </span>
        )}
      </div>
      <LatencyChart results={items} meanMs={check.baseline.meanMs} name={check.name} />
    </li>
  );
}

/** Response times as a line, failures as red ticks, the learnt baseline as a dashed line. */
function LatencyChart({ results, meanMs, name }: { results: ResultT[]; meanMs: number; name: string }) {
  if (results.length < 2) return <p className="muted">Not enough results yet for a chart.</p>;
  const width = 600;
  const height = 80;
  const max = Math.max(1, ...results.map((r) => r.latencyMs ?? 0), meanMs) * 1.1;
  const x = (i: number) => (i / (results.length - 1)) * width;
  const y = (ms: number) => height - (ms / max) * height;
  const line = results
    .map((r, i) => (r.latencyMs === null ? null : `${x(i).toFixed(1)},${y(r.latencyMs).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  const latencies = results.map((r) => r.latencyMs).filter((v): v is number => v !== null);
  const summary = `${name}: last ${results.length} checks, response time ${Math.min(...latencies)}–${Math.max(...latencies)} ms, ${results.filter((r) => !r.ok).length} failed`;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={summary} style={{ maxWidth: width }}>
      <line x1="0" x2={width} y1={y(meanMs)} y2={y(meanMs)} stroke="currentColor" strokeOpacity="0.35" strokeDasharray="4 4" />
      <polyline points={line} fill="none" stroke="var(--link)" strokeWidth="2" />
      {results.map((r, i) =>
        !r.ok ? <line key={r.at} x1={x(i)} x2={x(i)} y1="0" y2={height} stroke="var(--danger)" strokeWidth="2" /> : null,
      )}
    </svg>
  );
}
