import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { KPI_IDS } from '../../../../core/kpis/catalogue';
import { humanMessage } from '../../api/client';
import { useApiMutation } from '../../api/mutation';
import { Banner, Button, Field } from '../../ui/kit';
import { type DashboardFilters, PERIODS } from './filters';
import { removeSavedReport, SAVED_REPORTS_KEY, type SaveReportIn, saveReport, useSavedReports } from './reports-api';

/** The dashboard's filters as a saved report's: a rolling period of days instead of dates. */
export function savedFiltersOf(f: DashboardFilters, timeZone: string): SaveReportIn['filters'] {
  return {
    periodDays: PERIODS.find((p) => p.id === f.period)?.days ?? 30,
    timeZone,
    ...(f.teamId ? { teamId: f.teamId.split(',') } : {}),
    ...(f.serviceId ? { serviceId: f.serviceId } : {}),
    ...(f.categoryId ? { categoryId: f.categoryId } : {}),
    ...(f.priority ? { priority: f.priority.split(',').map(Number) } : {}),
    ...(f.kind ? { kind: f.kind.split(',') } : {}),
  };
}

/** A saved report opened on the dashboard: its filters back in the page's URL. */
export function dashboardLinkOf(filters: SaveReportIn['filters']): string {
  const q = new URLSearchParams();
  const period = PERIODS.find((p) => p.days === filters.periodDays);
  if (period && period.id !== '30d') q.set('period', period.id);
  if (filters.teamId?.length) q.set('teamId', filters.teamId.join(','));
  if (filters.serviceId) q.set('serviceId', filters.serviceId);
  if (filters.categoryId) q.set('categoryId', filters.categoryId);
  if (filters.priority?.length) q.set('priority', filters.priority.join(','));
  if (filters.kind?.length) q.set('kind', filters.kind.join(','));
  const text = q.toString();
  return `/desk/dashboard${text ? `?${text}` : ''}`;
}

/** "Save this report" and "E-mail it weekly": the dashboard as it is filtered, kept under a name, optionally mailed. */
export function SaveReport({ filters, timeZone, myEmail }: { filters: DashboardFilters; timeZone: string; myEmail: string }) {
  const [mode, setMode] = useState<'save' | 'mail' | null>(null);
  const [name, setName] = useState('');
  const [schedule, setSchedule] = useState<'weekly' | 'monthly'>('weekly');
  const [recipients, setRecipients] = useState(myEmail);
  const [done, setDone] = useState<string | null>(null);
  const save = useApiMutation({ mutationFn: saveReport, invalidates: [SAVED_REPORTS_KEY] });
  const open = (m: 'save' | 'mail') => {
    setMode(m);
    setDone(null);
    setName(`Dashboard — ${PERIODS.find((p) => p.id === filters.period)?.label ?? 'Last 30 days'}`);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await save.run({
      name,
      kpis: [...KPI_IDS],
      filters: savedFiltersOf(filters, timeZone),
      schedule: mode === 'mail' ? schedule : null,
      recipients:
        mode === 'mail'
          ? recipients
              .split(/[,;\s]+/)
              .map((r) => r.trim())
              .filter(Boolean)
          : [],
    });
    if (saved) {
      setMode(null);
      setDone(
        saved.nextSendAt
          ? `Saved “${saved.name}”. ${saved.scheduleLabel}, the first on ${new Date(saved.nextSendAt).toLocaleString()}.`
          : `Saved “${saved.name}”.`,
      );
    }
  };
  return (
    <div className="save-report">
      <div className="row">
        <Button onClick={() => open('save')}>Save this report</Button>
        <Button onClick={() => open('mail')}>E-mail it weekly</Button>
      </div>
      {done && <Banner tone="success">{done}</Banner>}
      {mode && (
        <form className="card" aria-label={mode === 'mail' ? 'E-mail this report' : 'Save this report'} onSubmit={submit}>
          <Field label="Name" error={save.fieldError('name')}>
            {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required />}
          </Field>
          {mode === 'mail' && (
            <>
              <Field label="How often">
                {(p) => (
                  <select {...p} value={schedule} onChange={(e) => setSchedule(e.target.value as 'weekly' | 'monthly')}>
                    <option value="weekly">Every Monday</option>
                    <option value="monthly">On the 1st of each month</option>
                  </select>
                )}
              </Field>
              <Field label="Send to (staff e-mail addresses, comma-separated)" error={save.fieldError('recipients')}>
                {(p) => <input {...p} value={recipients} onChange={(e) => setRecipients(e.target.value)} />}
              </Field>
            </>
          )}
          {save.error && !save.hasFieldErrors ? <Banner tone="danger">{humanMessage(save.error)}</Banner> : null}
          <div className="row">
            <Button tone="primary" type="submit">
              {mode === 'mail' ? 'Save and e-mail' : 'Save report'}
            </Button>
            <Button onClick={() => setMode(null)}>Cancel</Button>
          </div>
        </form>
      )}
    </div>
  );
}

/** The person's saved reports: open one on the dashboard, or remove it. */
export function SavedReports() {
  const list = useSavedReports();
  const remove = useApiMutation({ mutationFn: removeSavedReport, invalidates: [SAVED_REPORTS_KEY] });
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card kpi-section" aria-labelledby="saved-reports">
      <h2 id="saved-reports">Your saved reports</h2>
      <ul className="saved-reports">
        {items.map((r) => (
          <li key={r.id} className="saved-report-item">
            <Link to={dashboardLinkOf(r.filters)}>{r.name}</Link>
            {r.scheduleLabel && (
              <span className="muted">
                {' '}
                · e-mailed {r.scheduleLabel.replace(/^Every|^On/, (w) => w.toLowerCase())} to {r.recipients.join(', ')}
              </span>
            )}{' '}
            <Button onClick={() => remove.run(r.id)} aria-label={`Remove ${r.name}`}>
              Remove
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
