import { useEffect, useState } from 'react';
import { useTicketSla } from '../api/ticket-hooks';
import type { SlaTargetT as SlaTarget } from '../api/types';
import { dateTime } from '../ui/format';

const TARGET_LABEL: Record<string, string> = { first_response: 'First response', resolution: 'Resolution' };

/** "3 h 20 min": a time span, as people say it. */
export function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.round(hours / 24)} days`;
}

/** "4 business hours", "1 business hour 20 min": business time, said as such (days of business time are not working days, so hours). */
export function businessDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} business ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.floor(minutes / 60);
  return `${hours} business ${hours === 1 ? 'hour' : 'hours'}${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** The ticket's SLA targets with a live countdown; business time is counted by the server's calendar. */
export function SlaPanel({ ticketId, version }: { ticketId: string; version: number }) {
  const sla = useTicketSla(ticketId, version);
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const items = sla.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="sla-title">
      <h2 id="sla-title">SLA</h2>
      <ul className="plain-list">
        {items.map((t) => (
          <li key={t.target} className="sla-item">
            <div className="row">
              <strong>{TARGET_LABEL[t.target] ?? t.target}</strong>
              <SlaBadge target={t} />
            </div>
            <p className="muted">
              {t.policyName} · {(t.businessHours ? businessDuration : duration)(t.targetMinutes * 60_000)} target
              {t.dueAt && t.status !== 'met' ? ` · due ${dateTime(t.dueAt)}` : ''}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SlaBadge({ target }: { target: SlaTarget }) {
  const span = target.businessHours ? businessDuration : duration;
  const warn = target.warnAt && new Date(target.warnAt).getTime() <= Date.now();
  switch (target.status) {
    case 'met':
      return <span className="badge sla-met">Met</span>;
    case 'breached':
      return <span className="badge sla-breached">Breached {span(target.remainingMs)} ago</span>;
    case 'paused':
      return <span className="badge sla-paused">Paused · {span(target.remainingMs)} left</span>;
    default:
      return <span className={`badge ${warn ? 'sla-warning' : 'sla-running'}`}>Breaches in {span(target.remainingMs)}</span>;
  }
}

/** A queue's SLA cell: how long until the next target is due, or how long ago it was breached. */
export function SlaDue({ dueAt }: { dueAt: string | null }) {
  if (!dueAt) return <span className="muted">—</span>;
  const left = new Date(dueAt).getTime() - Date.now();
  if (left <= 0) return <span className="badge sla-breached">Breached</span>;
  return <span className={`badge ${left < 30 * 60_000 ? 'sla-warning' : 'sla-running'}`}>in {duration(left)}</span>;
}
