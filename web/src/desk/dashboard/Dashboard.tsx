import { lazy, Suspense, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, humanMessage } from '../../api/client';
import { useCategories, useMe, useServices, useTeams } from '../../api/hooks';
import type { MeT } from '../../api/types';
import { Banner, Field, PageHeader } from '../../ui/kit';
import { PRIORITY_LABEL } from '../../ui/labels';
import { myTeamIds } from '../queues';
import { BacklogAge, MajorIncidents, OpenWork } from './Breakdowns';
import { type DashboardFilters, drillDown, FILTER_NAMES, filtersFrom, PERIODS, reportQuery } from './filters';
import { csvUrl, useKpi } from './reports-api';
import { SavedReports, SaveReport } from './SaveReport';
import { Tiles } from './Tiles';

const CreatedResolvedChart = lazy(() => import('./CreatedResolvedChart'));
const KIND_LABEL: Record<string, string> = { incident: 'Incidents', service_request: 'Service requests', disturbance: 'Disturbances' };

/** How the desk is doing (issue 16): KPI tiles and charts over a period, each drilling down to its tickets. */
export default function Dashboard() {
  const me = useMe().data as MeT;
  const [search, setSearch] = useSearchParams();
  const filters = filtersFrom(search);
  // One "now" per filter choice: every tile asks for the same period (filters.ts rounds it to the hour).
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new period is wanted only when the filters change
  const now = useMemo(() => Date.now(), [search.toString()]);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const query = reportQuery(filters, now, timeZone);
  const drill = (behind: Parameters<typeof drillDown>[1]) => drillDown(filters, behind, now);
  const days = useKpi('created-vs-resolved', query);
  const refused = days.error instanceof ApiError && days.error.status === 403;

  const set = (name: keyof DashboardFilters, value: string) => {
    const next = new URLSearchParams();
    for (const k of FILTER_NAMES) {
      const v = k === name ? value : filters[k];
      if (v && !(k === 'period' && v === '30d')) next.set(k, v);
    }
    setSearch(next, { replace: true });
  };

  return (
    <div className="dashboard">
      <PageHeader title="Dashboard">
        <Link to="/desk">← Queues</Link>
      </PageHeader>
      <DashboardFilterBar me={me} filters={filters} set={set} />
      {!refused && <SaveReport filters={filters} timeZone={timeZone} myEmail={me.email} />}
      {refused ? (
        <Banner tone="warning">{humanMessage(days.error)}</Banner>
      ) : (
        <>
          <Tiles query={query} drill={drill} />
          <section className="card kpi-section" aria-labelledby="kpi-days">
            <div className="kpi-section-head">
              <h2 id="kpi-days">Created and resolved per day</h2>
              <a href={csvUrl('created-vs-resolved', query)} download>
                CSV
              </a>
            </div>
            <p className="muted kpi-definition">{days.data?.definition}</p>
            {days.data && (
              <>
                <Suspense fallback={<div className="kpi-chart" />}>
                  <CreatedResolvedChart days={days.data.result.days} />
                </Suspense>
                <p className="muted">
                  <Link to={drill({ openedInPeriod: true })}>{days.data.result.days.reduce((s, d) => s + d.created, 0)} created</Link>
                  {' · '}
                  <Link to={drill({ resolvedInPeriod: true })}>{days.data.result.days.reduce((s, d) => s + d.resolved, 0)} resolved</Link>{' '}
                  in the period
                </p>
                <details>
                  <summary>Show as a table</summary>
                  <table className="data">
                    <thead>
                      <tr>
                        <th scope="col">Day</th>
                        <th scope="col">Created</th>
                        <th scope="col">Resolved</th>
                      </tr>
                    </thead>
                    <tbody>
                      {days.data.result.days.map((d) => (
                        <tr key={d.day}>
                          <td>{d.day}</td>
                          <td data-label="Created">{d.created}</td>
                          <td data-label="Resolved">{d.resolved}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              </>
            )}
          </section>
          <div className="kpi-columns">
            <OpenWork query={query} drill={drill} />
            <BacklogAge query={query} drill={drill} now={now} />
          </div>
          <MajorIncidents query={query} />
          <SavedReports />
        </>
      )}
    </div>
  );
}

function DashboardFilterBar({
  me,
  filters,
  set,
}: {
  me: MeT;
  filters: DashboardFilters;
  set: (name: keyof DashboardFilters, value: string) => void;
}) {
  const teams = useTeams();
  const services = useServices();
  const categories = useCategories();
  // Agents see their own teams' figures: the team choice lists only those.
  const mine = myTeamIds(me, teams.data?.items);
  const teamOptions = (teams.data?.items ?? []).filter((t) => me.role !== 'agent' || mine.includes(t.id));
  const select = (name: keyof DashboardFilters, label: string, options: { value: string; label: string }[], none?: string) => (
    <Field label={label} className="kpi-filter">
      {(p) => (
        <select {...p} value={filters[name]} onChange={(e) => set(name, e.target.value)}>
          {none && <option value="">{none}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <form className="kpi-filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      {select(
        'period',
        'Period',
        PERIODS.map((p) => ({ value: p.id, label: p.label })),
      )}
      {select(
        'teamId',
        'Team',
        teamOptions.map((t) => ({ value: t.id, label: t.name })),
        me.role === 'agent' ? 'All my teams' : 'All teams',
      )}
      {select(
        'serviceId',
        'Service',
        (services.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })),
        'All services',
      )}
      {select(
        'categoryId',
        'Category',
        (categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
        'All categories',
      )}
      {select(
        'priority',
        'Priority',
        [1, 2, 3, 4, 5].map((p) => ({ value: String(p), label: PRIORITY_LABEL[p] })),
        'All priorities',
      )}
      {select(
        'kind',
        'Kind',
        Object.entries(KIND_LABEL).map(([value, label]) => ({ value, label })),
        'All kinds',
      )}
    </form>
  );
}
