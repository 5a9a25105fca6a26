import { type FormEvent, useState } from 'react';
import { isStaff } from '../../../core/permissions';
import { ON_HOLD_REASONS, type OnHoldReason } from '../../../core/vocabulary';
import * as catalogApi from '../api/endpoints/catalog';
import { useCalendars, useSlaPolicies, useStaff, useTeams } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { BusinessCalendarT as Calendar, CreateBusinessCalendarIn, SlaPolicyT as Policy } from '../api/types';
import { formatDuration, parseDuration } from '../ui/durations';
import { count } from '../ui/format';
import { Button, EditButton, EmptyState, Field, FormActions, IdSelect, Loading, PageHeader } from '../ui/kit';
import { ON_HOLD_LABEL } from '../ui/labels';
import { ErrorNote } from './ErrorNote';
import { RecordList } from './RecordList';
import { RecordTable } from './RecordTable';
import { useRecordEditor } from './useRecordEditor';
import { useSaveRecord } from './useSaveRecord';

// Kept here rather than imported from core/business-calendar, which brings Luxon with it.
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const toTime = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const toMinutes = (time: string) => {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
};

/** What "on time" means: business calendars, and SLA policies with their escalation on breach. */
export function SlaAdmin() {
  const calendars = useCalendars();
  const policies = useSlaPolicies();
  const calendarEditor = useRecordEditor<Calendar>();
  const policyEditor = useRecordEditor<Policy>();
  const calendarName = new Map((calendars.data?.items ?? []).map((c) => [c.id, c.name]));
  // Order matters (the first active match applies): move a policy up or down, then number them 10, 20, 30…
  const reorder = useApiMutation({
    mutationFn: ({ id, position }: { id: string; position: number }) => catalogApi.updateSlaPolicy(id, { position }),
    invalidates: [keys.slaPolicies],
  });
  const move = async (index: number, by: -1 | 1) => {
    const order = [...(policies.data?.items ?? [])];
    const [moved] = order.splice(index, 1);
    order.splice(index + by, 0, moved);
    for (const [i, p] of order.entries()) {
      if (p.position !== (i + 1) * 10 && !(await reorder.run({ id: p.id, position: (i + 1) * 10 }))) return;
    }
  };
  return (
    <div className="stack">
      <PageHeader title="SLAs">
        <Button onClick={calendarEditor.startNew}>New calendar</Button>
        <Button tone="primary" onClick={policyEditor.startNew}>
          New SLA policy
        </Button>
      </PageHeader>
      {calendarEditor.form((calendar, onDone) => (
        <CalendarForm calendar={calendar} onDone={onDone} />
      ))}
      {policyEditor.form((policy, onDone) => (
        <PolicyForm policy={policy} calendars={calendars.data?.items ?? []} onDone={onDone} />
      ))}
      <section className="card" aria-labelledby="policies-title">
        <h2 id="policies-title">SLA policies (the first that matches a ticket applies)</h2>
        <ErrorNote error={reorder.error} />
        {policies.isPending ? (
          <Loading what="SLA policies" />
        ) : (policies.data?.items ?? []).length === 0 ? (
          <EmptyState title="No SLA policies yet">
            Tickets have no response or resolution targets until a policy applies. Add one with “New SLA policy”: for example P1 tickets
            answered within 15 min and resolved within 4 h, counted on a business calendar or round the clock.
          </EmptyState>
        ) : (
          <RecordTable<Policy>
            className="data"
            items={policies.data?.items ?? []}
            columns={['Order', 'Policy', 'Applies to', 'First response', 'Resolution', 'Calendar']}
            cells={(p, i) => (
              <>
                <td data-label="Order" className="row" style={{ gap: 0, flexWrap: 'nowrap' }}>
                  <Button tone="ghost" aria-label={`Move ${p.name} up`} disabled={i === 0 || reorder.busy} onClick={() => move(i, -1)}>
                    ↑
                  </Button>
                  <Button
                    tone="ghost"
                    aria-label={`Move ${p.name} down`}
                    disabled={i === (policies.data?.items ?? []).length - 1 || reorder.busy}
                    onClick={() => move(i, 1)}
                  >
                    ↓
                  </Button>
                </td>
                <td>
                  {p.name}
                  {!p.active && <span className="muted"> (inactive)</span>}
                </td>
                <td>{p.match.priorities?.length ? p.match.priorities.map((n) => `P${n}`).join(', ') : 'all priorities'}</td>
                <td data-label="First response">{p.firstResponseMinutes ? formatDuration(p.firstResponseMinutes) : '—'}</td>
                <td data-label="Resolution">{p.resolutionMinutes ? formatDuration(p.resolutionMinutes) : '—'}</td>
                <td>{p.calendarId ? calendarName.get(p.calendarId) : 'round the clock'}</td>
              </>
            )}
            actions={(p) => <EditButton name={p.name} onClick={() => policyEditor.edit(p)} />}
          />
        )}
      </section>
      <section className="card" aria-labelledby="calendars-title">
        <h2 id="calendars-title">Business calendars</h2>
        {calendars.data && calendars.data.items.length === 0 && (
          <p className="muted">No business calendars yet: every policy counts round the clock until it is given one.</p>
        )}
        <RecordList
          items={calendars.data?.items ?? []}
          summary={(c) => (
            <>
              {c.timeZone} · {count(WEEKDAYS.filter((d) => c.week[d].length > 0).length, 'working day')} ·{' '}
              {count(c.holidays.length, 'holiday')}
            </>
          )}
          onEdit={calendarEditor.edit}
        />
      </section>
    </div>
  );
}

function CalendarForm({ calendar, onDone }: { calendar: Calendar | null; onDone: () => void }) {
  const save = useSaveRecord(calendar, { create: catalogApi.createCalendar, update: catalogApi.updateCalendar }, [keys.calendars]);
  const [name, setName] = useState(calendar?.name ?? '');
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [days, setDays] = useState(
    Object.fromEntries(
      WEEKDAYS.map((d) => {
        const first = calendar?.week[d][0];
        const open = calendar ? Boolean(first) : !['saturday', 'sunday'].includes(d);
        return [d, { open, start: toTime(first?.start ?? 540), end: toTime(first?.end ?? 1020) }];
      }),
    ) as Record<(typeof WEEKDAYS)[number], { open: boolean; start: string; end: string }>,
  );
  const [holidays, setHolidays] = useState((calendar?.holidays ?? []).join('\n'));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const week = Object.fromEntries(
      WEEKDAYS.map((d) => [d, days[d].open ? [{ start: toMinutes(days[d].start), end: toMinutes(days[d].end) }] : []]),
    ) as CreateBusinessCalendarIn['week'];
    const body = { name, timeZone, week, holidays: holidays.split(/[\s,]+/).filter(Boolean) };
    if (await save.run(body)) onDone();
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{calendar ? `Edit ${calendar.name}` : 'New business calendar'}</h2>
      <ErrorNote error={save.error} />
      <div className="form-grid">
        <Field label="Name" error={save.fieldError('name')}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Time zone" hint="IANA, e.g. Europe/Berlin" error={save.fieldError('timeZone')}>
          {(p) => <input {...p} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />}
        </Field>
      </div>
      <table className="data">
        <caption className="visually-hidden">Working hours per weekday</caption>
        <tbody>
          {WEEKDAYS.map((d) => (
            <tr key={d}>
              <th scope="row" style={{ textTransform: 'capitalize' }}>
                {d}
              </th>
              <td>
                <label className="row">
                  <input
                    type="checkbox"
                    checked={days[d].open}
                    onChange={(e) => setDays({ ...days, [d]: { ...days[d], open: e.target.checked } })}
                  />
                  working day
                </label>
              </td>
              <td>
                <input
                  type="time"
                  aria-label={`${d} from`}
                  value={days[d].start}
                  disabled={!days[d].open}
                  onChange={(e) => setDays({ ...days, [d]: { ...days[d], start: e.target.value } })}
                />
              </td>
              <td>
                <input
                  type="time"
                  aria-label={`${d} until`}
                  value={days[d].end}
                  disabled={!days[d].open}
                  onChange={(e) => setDays({ ...days, [d]: { ...days[d], end: e.target.value } })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {save.fieldError('week') && <p className="field-error">{save.fieldError('week')}</p>}
      <Field label="Holidays" hint="Dates like 2026-12-25, one per line." error={save.fieldError('holidays')}>
        {(p) => <textarea {...p} value={holidays} onChange={(e) => setHolidays(e.target.value)} />}
      </Field>
      <FormActions busy={save.busy} submit="Save calendar" onCancel={onDone} />
    </form>
  );
}

function PolicyForm({ policy, calendars, onDone }: { policy: Policy | null; calendars: Calendar[]; onDone: () => void }) {
  const save = useSaveRecord(policy, { create: catalogApi.createSlaPolicy, update: catalogApi.updateSlaPolicy }, [keys.slaPolicies]);
  const teams = useTeams();
  const users = useStaff();
  const [form, setForm] = useState({
    name: policy?.name ?? '',
    active: policy?.active ?? true,
    priorities: policy?.match.priorities ?? [],
    calendarId: policy?.calendarId ?? '',
    firstResponseMinutes: policy?.firstResponseMinutes ? formatDuration(policy.firstResponseMinutes) : '',
    resolutionMinutes: policy?.resolutionMinutes ? formatDuration(policy.resolutionMinutes) : '',
    warnPercent: String(policy?.warnPercent ?? 75),
    // The server answers the reasons it was given, which were these.
    pauseOnHoldReasons: (policy?.pauseOnHoldReasons ?? ['awaiting_requester']) as OnHoldReason[],
    breachEscalateToTeamId: policy?.breachEscalateToTeamId ?? '',
    breachEscalateToManager: policy?.breachEscalateToManager ?? false,
    breachEscalateToUserId: policy?.breachEscalateToUserId ?? '',
  });
  const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  // Targets are typed as "30 min", "4 h" or "2 d" (durations.ts); one that cannot be read is said before sending.
  const [unreadable, setUnreadable] = useState<string[]>([]);
  const durationError = (field: 'firstResponseMinutes' | 'resolutionMinutes') =>
    unreadable.includes(field) ? 'Write it as minutes, hours or days, e.g. 30 min, 4 h or 2 d.' : save.fieldError(field);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const firstResponseMinutes = parseDuration(form.firstResponseMinutes);
    const resolutionMinutes = parseDuration(form.resolutionMinutes);
    const bad = (['firstResponseMinutes', 'resolutionMinutes'] as const).filter((f) => parseDuration(form[f]) === undefined);
    setUnreadable(bad);
    if (bad.length > 0) return;
    const body = {
      name: form.name,
      active: form.active,
      match: { ...(policy?.match ?? {}), priorities: form.priorities.length ? [...form.priorities].sort() : undefined },
      calendarId: form.calendarId || null,
      firstResponseMinutes,
      resolutionMinutes,
      warnPercent: Number(form.warnPercent),
      pauseOnHoldReasons: form.pauseOnHoldReasons,
      breachEscalateToTeamId: form.breachEscalateToTeamId || null,
      breachEscalateToManager: form.breachEscalateToManager,
      breachEscalateToUserId: form.breachEscalateToUserId || null,
    };
    if (await save.run(body)) onDone();
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{policy ? `Edit ${policy.name}` : 'New SLA policy'}</h2>
      <ErrorNote error={save.error} />
      <div className="form-grid">
        <Field label="Name" error={save.fieldError('name')}>
          {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
        </Field>
        <Field label="Counted on" error={save.fieldError('calendarId')}>
          {(p) => (
            <select {...p} value={form.calendarId} onChange={(e) => setForm({ ...form, calendarId: e.target.value })}>
              <option value="">Round the clock</option>
              {calendars.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="First response within"
          hint="e.g. 30 min, 4 h or 2 d (on a business calendar: business time)"
          error={durationError('firstResponseMinutes')}
        >
          {(p) => (
            <input {...p} value={form.firstResponseMinutes} onChange={(e) => setForm({ ...form, firstResponseMinutes: e.target.value })} />
          )}
        </Field>
        <Field
          label="Resolution within"
          hint="e.g. 30 min, 4 h or 2 d (on a business calendar: business time)"
          error={durationError('resolutionMinutes')}
        >
          {(p) => <input {...p} value={form.resolutionMinutes} onChange={(e) => setForm({ ...form, resolutionMinutes: e.target.value })} />}
        </Field>
        <Field label="Warn at (% of the target)" error={save.fieldError('warnPercent')}>
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={form.warnPercent}
              onChange={(e) => setForm({ ...form, warnPercent: e.target.value })}
            />
          )}
        </Field>
      </div>
      <fieldset className="choices">
        <legend>Applies to priorities (none ticked: all)</legend>
        <div className="choices-row">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className={`choice ${form.priorities.includes(n) ? 'choice-on' : ''}`}>
              <input
                type="checkbox"
                checked={form.priorities.includes(n)}
                onChange={() => setForm({ ...form, priorities: toggle(form.priorities, n) })}
              />
              P{n}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="choices">
        <legend>The clock stops while on hold</legend>
        <div className="choices-row">
          {ON_HOLD_REASONS.map((r) => (
            <label key={r} className={`choice ${form.pauseOnHoldReasons.includes(r) ? 'choice-on' : ''}`}>
              <input
                type="checkbox"
                checked={form.pauseOnHoldReasons.includes(r)}
                onChange={() => setForm({ ...form, pauseOnHoldReasons: toggle(form.pauseOnHoldReasons, r) })}
              />
              {ON_HOLD_LABEL[r]}
            </label>
          ))}
        </div>
      </fieldset>
      <h3>On a breach</h3>
      <div className="form-grid">
        <IdSelect
          label="Escalate to team"
          value={form.breachEscalateToTeamId}
          onChange={(e) => setForm({ ...form, breachEscalateToTeamId: e.target.value })}
          options={teams.data?.items ?? []}
          none="No functional escalation"
          error={save.fieldError('breachEscalateToTeamId')}
        />
        <IdSelect
          label="Also tell"
          value={form.breachEscalateToUserId}
          onChange={(e) => setForm({ ...form, breachEscalateToUserId: e.target.value })}
          options={(users.data?.items ?? []).filter(isStaff)}
          none="Nobody by name"
          error={save.fieldError('breachEscalateToUserId')}
        />
      </div>
      <label className="choice" style={{ marginBottom: '.5rem' }}>
        <input
          type="checkbox"
          checked={form.breachEscalateToManager}
          onChange={(e) => setForm({ ...form, breachEscalateToManager: e.target.checked })}
        />
        Escalate to the team’s manager (hierarchical)
      </label>
      <label className="choice" style={{ marginBottom: '1rem' }}>
        <input type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} />
        Active
      </label>
      <FormActions busy={save.busy} submit="Save policy" onCancel={onDone} />
    </form>
  );
}
