import { Link } from 'react-router';
import { OPEN_STATES } from '../../../../core/vocabulary';
import { PRIORITY_LABEL, STATE_LABEL } from '../../ui/labels';
import { bucketOpened, durationWords } from './figures';
import type { Behind } from './filters';
import { csvUrl, useKpi } from './reports-api';

type Drill = (behind: Behind) => string;

function SectionHead({ id, title, csv }: { id: string; title: string; csv: string }) {
  return (
    <div className="kpi-section-head">
      <h2 id={id}>{title}</h2>
      <a href={csv} download aria-label={`Download ${title} as CSV`}>
        CSV
      </a>
    </div>
  );
}

/** Open tickets by priority (rows) and state (columns); every count opens its queue. */
export function OpenWork({ query, drill }: { query: Record<string, string>; drill: Drill }) {
  const report = useKpi('open-work', query);
  const cells = report.data?.result.cells ?? [];
  const countOf = (priority: number, state?: string) =>
    cells.filter((c) => c.priority === priority && (!state || c.state === state)).reduce((s, c) => s + c.count, 0);
  return (
    <section className="card kpi-section" aria-labelledby="kpi-open">
      <SectionHead id="kpi-open" title="Open work by priority and state" csv={csvUrl('open-work', query)} />
      <div className="kpi-table-scroll">
        <table className="data kpi-matrix">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              {OPEN_STATES.map((s) => (
                <th scope="col" key={s}>
                  {STATE_LABEL[s]}
                </th>
              ))}
              <th scope="col">All</th>
            </tr>
          </thead>
          <tbody>
            {[1, 2, 3, 4, 5].map((p) => (
              <tr key={p}>
                <th scope="row">{PRIORITY_LABEL[p]}</th>
                {OPEN_STATES.map((s) => {
                  const n = countOf(p, s);
                  return (
                    <td key={s} data-label={STATE_LABEL[s]}>
                      {n === 0 ? <span className="muted">0</span> : <Link to={drill({ open: true, priority: p, state: s })}>{n}</Link>}
                    </td>
                  );
                })}
                <td data-label="All">
                  <Link to={drill({ open: true, priority: p })}>{countOf(p)}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Open tickets by age, as bars; each bar opens the tickets of that age. */
export function BacklogAge({ query, drill, now }: { query: Record<string, string>; drill: Drill; now: number }) {
  const report = useKpi('backlog-age', query);
  const buckets = report.data?.result.buckets ?? [];
  const most = Math.max(1, ...buckets.map((b) => b.count));
  return (
    <section className="card kpi-section" aria-labelledby="kpi-backlog">
      <SectionHead id="kpi-backlog" title="Backlog age" csv={csvUrl('backlog-age', query)} />
      <p className="muted kpi-definition">{report.data?.definition}</p>
      <ul className="kpi-bars">
        {buckets.map((b) => (
          <li key={b.bucket}>
            <Link to={drill({ open: true, ...bucketOpened(b.bucket, now) })}>
              <span className="kpi-bar-label">{b.label}</span>
              <span className="kpi-bar" style={{ width: b.count === 0 ? 0 : `max(3px, ${(b.count / most) * 100}%)` }} />
              <span className="kpi-bar-count">{b.count}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Major incidents declared in the period, with how long each took to resolve. */
export function MajorIncidents({ query }: { query: Record<string, string> }) {
  const report = useKpi('major-incidents', query);
  const result = report.data?.result;
  return (
    <section className="card kpi-section" aria-labelledby="kpi-major">
      <SectionHead id="kpi-major" title="Major incidents" csv={csvUrl('major-incidents', query)} />
      <p className="muted kpi-definition">{report.data?.definition}</p>
      {result && result.count === 0 && <p>No major incident in this period.</p>}
      {result && result.count > 0 && (
        <>
          <p>
            {result.count} declared, {result.resolved} resolved; mean time to resolve {durationWords(result.meanTimeToResolveMs)}.
          </p>
          <ul className="kpi-major-list">
            {result.items.map((i) => (
              <li key={i.id}>
                <Link to={`/desk/tickets/${i.id}`}>
                  <span className="mono">{i.number}</span> {i.title}
                </Link>
                <span className="muted">
                  {' '}
                  · {i.timeToResolveMs === null ? 'not resolved yet' : `resolved in ${durationWords(i.timeToResolveMs)}`}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
