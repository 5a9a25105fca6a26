import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { CHANGE_RISK_LABELS, CHANGE_STAGE_LABELS, CHANGE_TYPE_LABELS } from '../../../core/changes';
import * as changeApi from '../api/endpoints/changes';
import { keys } from '../api/keys';
import { Banner, EmptyState, Loading, PageHeader } from '../ui/kit';

const DAY = 86_400_000;

/** Monday 00:00 of the browser's week holding `at`: people plan in their own days. */
export function localWeekStart(at: Date): Date {
  const d = new Date(at.getFullYear(), at.getMonth(), at.getDate());
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d;
}

const dayKey = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const dayTitle = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'short' });
const timeOf = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const rangeTitle = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });

/**
 * The change calendar (issue 17): one week, Monday first, each day listing the changes whose
 * planned window touches it (a window over midnight shows on both days), earliest first.
 */
export default function Changes() {
  const [search, setSearch] = useSearchParams();
  const picked = search.get('week');
  const start = localWeekStart(picked ? new Date(`${picked}T12:00:00`) : new Date());
  const end = new Date(start);
  end.setDate(end.getDate() + 7);
  const from = start.toISOString();
  const to = end.toISOString();
  const week = useQuery({ queryKey: [...keys.tickets.all, 'change-calendar', from], queryFn: () => changeApi.calendar(from, to) });
  const days = Array.from({ length: 7 }, (_, i) => {
    const d = new Date(start);
    d.setDate(d.getDate() + i);
    return d;
  });
  const go = (weeks: number) => {
    const next = new Date(start.getTime() + weeks * 7 * DAY + DAY / 2);
    setSearch({ week: dayKey(localWeekStart(next)) }, { replace: true });
  };
  const lastDay = new Date(end.getTime() - DAY / 2);
  const clashing = (week.data?.items ?? []).filter((c) => c.conflicts.length > 0);

  return (
    <div className="stack">
      <PageHeader title="Change calendar">
        <Link className="btn btn-primary" to="/desk/changes/new">
          New change
        </Link>
      </PageHeader>
      <div className="row change-week-nav">
        <button type="button" className="btn btn-secondary" onClick={() => go(-1)}>
          ← Previous week
        </button>
        <h2 className="change-week-title">
          {rangeTitle.format(start)} – {rangeTitle.format(lastDay)}
        </h2>
        <button type="button" className="btn btn-secondary" onClick={() => go(1)}>
          Next week →
        </button>
        {picked && (
          <button type="button" className="btn btn-ghost" onClick={() => setSearch({}, { replace: true })}>
            This week
          </button>
        )}
      </div>
      {week.isLoading ? (
        <Loading what="the change calendar" />
      ) : week.error ? (
        <Banner tone="danger">The calendar could not be loaded. Reload the page to try again.</Banner>
      ) : (
        <>
          {week.data?.truncated && <Banner tone="warning">More changes are planned this week than the calendar shows.</Banner>}
          {week.data?.items.length === 0 && <EmptyState title="No changes planned this week" />}
          {clashing.length > 0 && (
            <Banner
              tone="warning"
              title={`${clashing.length === 1 ? 'One change touches' : `${clashing.length} changes touch`} other work this week`}
            >
              <p>Marked below: a window over an open major incident, or overlapping another change on a service they share.</p>
            </Banner>
          )}
          <ol className="change-calendar" aria-label="Days of the week">
            {days.map((day) => {
              const dayEnd = new Date(day);
              dayEnd.setDate(dayEnd.getDate() + 1);
              const items = (week.data?.items ?? []).filter((c) => new Date(c.plannedStart) < dayEnd && new Date(c.plannedEnd) > day);
              const today = dayKey(day) === dayKey(new Date());
              return (
                <li key={dayKey(day)} className={`change-day ${today ? 'change-day-today' : ''}`} aria-label={dayTitle.format(day)}>
                  <h3>
                    {dayTitle.format(day)}
                    {today && <span className="muted"> · today</span>}
                  </h3>
                  {items.length === 0 ? (
                    <p className="muted">Nothing planned</p>
                  ) : (
                    <ul className="change-day-items">
                      {items.map((c) => (
                        <li key={c.id} className={`change-entry change-risk-${c.risk}`}>
                          <Link to={`/desk/tickets/${c.id}`}>
                            <span className="ticket-number">{c.number}</span> {c.title}
                          </Link>
                          <span className="muted">
                            {timeOf.format(new Date(c.plannedStart))}–{timeOf.format(new Date(c.plannedEnd))}
                            {c.service ? ` · ${c.service.name}` : ''}
                          </span>
                          <span>
                            <span className={`badge change-stage change-stage-${c.stage}`}>{CHANGE_STAGE_LABELS[c.stage]}</span>{' '}
                            <span className="muted">
                              {CHANGE_TYPE_LABELS[c.type]} · {CHANGE_RISK_LABELS[c.risk]}
                            </span>
                          </span>
                          {c.conflicts.length > 0 && <ConflictNote conflicts={c.conflicts} />}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}

/** What a change's window touches, in words, as its page says it (issue 17: warnings, not refusals). */
function ConflictNote({ conflicts }: { conflicts: changeApi.CalendarT['items'][number]['conflicts'] }) {
  return (
    <span className="change-conflict">
      <strong>Conflicts:</strong>{' '}
      {conflicts.map((k, i) => (
        <span key={k.ticketId}>
          {i > 0 ? '; ' : ''}
          {k.kind === 'major_incident'
            ? `major incident ${k.number} on ${k.serviceName}`
            : `${k.number} on ${k.serviceName} at the same time`}
        </span>
      ))}
    </span>
  );
}
