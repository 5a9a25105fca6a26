import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { MAINTENANCE_STATE_LABELS } from '../../../core/maintenance';
import { canScheduleMaintenance } from '../../../core/permissions';
import { ErrorNote } from '../admin/ErrorNote';
import * as maintenanceApi from '../api/endpoints/maintenance';
import { useMe, useServices } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { CreateMaintenanceIn, MaintenanceT } from '../api/types';
import { dateTime } from '../ui/format';
import { Banner, Button, EmptyState, Field, Loading, PageHeader } from '../ui/kit';

/** A `datetime-local` value (the browser's zone) as an instant; empty when not filled in. */
const instantOf = (local: string): string => (local ? new Date(local).toISOString() : '');

/** An instant as a `datetime-local` value in the browser's zone. */
const localOf = (iso: string): string => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

const EMPTY = { title: '', description: '', componentIds: [] as string[], startsAt: '', endsAt: '', leadHours: '24' };

/**
 * Planned maintenance on the public status page (issue 15 #7). Staff see what is planned;
 * managers and admins plan a window (announced to subscribers at once and again at the lead
 * time; started and completed by itself), change one (subscribers are told) and cancel one.
 */
export default function Maintenance() {
  const me = useMe().data;
  const windows = useQuery({ queryKey: keys.maintenance, queryFn: maintenanceApi.list });
  const services = useServices();
  const publicServices = (services.data?.items ?? []).filter((s) => s.onStatusPage);
  const nameOf = (id: string) => services.data?.items.find((s) => s.id === id)?.name ?? 'A service no longer shown';
  const mayPlan = !!me && canScheduleMaintenance(me);
  const items = windows.data?.items ?? [];
  const current = items.filter((w) => w.state === 'scheduled' || w.state === 'in_progress');
  const past = items.filter((w) => w.state === 'completed' || w.state === 'cancelled');

  return (
    <div className="stack">
      <PageHeader title="Planned maintenance" />
      <p className="muted">
        Windows shown on the <a href="/status">public status page</a>. Subscribers of the services are told when a window is planned, again
        before it starts, when it starts and when it is over. It starts and completes by itself.
      </p>
      {mayPlan ? (
        <PlanForm publicServices={publicServices} />
      ) : (
        <Banner tone="info">Managers and admins plan maintenance. You can see what is planned.</Banner>
      )}
      <section className="card stack" aria-labelledby="maintenance-current">
        <h2 id="maintenance-current">Planned and in progress</h2>
        {windows.isLoading ? (
          <Loading what="planned maintenance" />
        ) : current.length === 0 ? (
          <EmptyState title="Nothing planned" />
        ) : (
          <ul className="maintenance-list">
            {current.map((w) => (
              <WindowItem key={w.id} window={w} nameOf={nameOf} mayCancel={mayPlan} publicServices={publicServices} />
            ))}
          </ul>
        )}
      </section>
      {past.length > 0 && (
        <section className="card stack" aria-labelledby="maintenance-past">
          <h2 id="maintenance-past">Over or cancelled (last 90 days)</h2>
          <ul className="maintenance-list">
            {past.map((w) => (
              <WindowItem key={w.id} window={w} nameOf={nameOf} mayCancel={false} publicServices={publicServices} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function WindowItem({
  window: w,
  nameOf,
  mayCancel,
  publicServices,
}: {
  window: MaintenanceT;
  nameOf: (id: string) => string;
  mayCancel: boolean;
  publicServices: { id: string; name: string }[];
}) {
  const cancel = useApiMutation({ mutationFn: maintenanceApi.cancel, invalidates: [keys.maintenance], awaitRefresh: true });
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <li className="maintenance-item">
        <PlanForm publicServices={publicServices} existing={w} onClose={() => setEditing(false)} />
      </li>
    );
  }
  return (
    <li className="maintenance-item">
      <h3>{w.title}</h3>
      <p>
        <strong>{MAINTENANCE_STATE_LABELS[w.state]}</strong> · <time dateTime={w.startsAt}>{dateTime(w.startsAt)}</time> to{' '}
        <time dateTime={w.endsAt}>{dateTime(w.endsAt)}</time>
      </p>
      <p className="muted">Affects: {w.componentIds.map(nameOf).join(', ')}</p>
      {w.description && <p className="pre-wrap">{w.description}</p>}
      <ErrorNote error={cancel.error} />
      {mayCancel && (
        <div className="form-actions">
          <Button onClick={() => setEditing(true)} aria-label={`Change maintenance: ${w.title}`}>
            Change
          </Button>
          <Button busy={cancel.busy} onClick={() => cancel.run(w.id)} aria-label={`Cancel maintenance: ${w.title}`}>
            Cancel maintenance
          </Button>
        </div>
      )}
    </li>
  );
}

/** The plan form: a new window, or (`existing`) a change to one — the server tells its subscribers. */
function PlanForm({
  publicServices,
  existing,
  onClose,
}: {
  publicServices: { id: string; name: string }[];
  existing?: MaintenanceT;
  onClose?: () => void;
}) {
  const [draft, setDraft] = useState(
    existing
      ? {
          title: existing.title,
          description: existing.description,
          componentIds: existing.componentIds,
          startsAt: localOf(existing.startsAt),
          endsAt: localOf(existing.endsAt),
          leadHours: String(existing.leadMinutes / 60),
        }
      : EMPTY,
  );
  const [saved, setSaved] = useState<string | null>(null);
  const [notNumber, setNotNumber] = useState(false);
  const create = useApiMutation<CreateMaintenanceIn, MaintenanceT>({
    mutationFn: (body) =>
      existing ? maintenanceApi.edit({ id: existing.id, body: { ...body, version: existing.version } }) : maintenanceApi.create(body),
    invalidates: [keys.maintenance],
    awaitRefresh: true,
  });
  const headingId = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const hours = Number(draft.leadHours);
    const lead = draft.leadHours.trim() === '' || !Number.isFinite(hours) ? null : Math.round(hours * 60);
    setNotNumber(lead === null);
    if (lead === null) return;
    // A time left as it was is sent as it was (the box drops seconds; a started window keeps its start).
    const instant = (local: string, before: string | undefined) => (before && local === localOf(before) ? before : instantOf(local));
    const done = await create.run({
      title: draft.title,
      description: draft.description,
      componentIds: draft.componentIds,
      startsAt: instant(draft.startsAt, existing?.startsAt),
      endsAt: instant(draft.endsAt, existing?.endsAt),
      leadMinutes: lead,
    });
    if (done && onClose) onClose();
    else if (done) {
      setSaved(done.title);
      setDraft(EMPTY);
    }
  };
  const set = (patch: Partial<typeof EMPTY>) => {
    setSaved(null);
    setDraft({ ...draft, ...patch });
  };
  return (
    <form className={existing ? 'stack' : 'card stack'} onSubmit={submit} noValidate aria-labelledby={headingId}>
      {existing ? <h3 id={headingId}>Change “{existing.title}”</h3> : <h2 id={headingId}>Plan maintenance</h2>}
      {saved && <Banner tone="success">Planned “{saved}”. Subscribers are being told, and it shows on the status page.</Banner>}
      <ErrorNote error={create.error} />
      <Field label="Title" error={create.fieldError('title')}>
        {(p) => <input {...p} value={draft.title} onChange={(e) => set({ title: e.target.value })} />}
      </Field>
      <Field
        label="What happens, for the public"
        hint="Shown on the status page and sent to subscribers."
        error={create.fieldError('description')}
      >
        {(p) => <textarea {...p} rows={3} value={draft.description} onChange={(e) => set({ description: e.target.value })} />}
      </Field>
      <fieldset className="field maintenance-services">
        <legend>Services affected</legend>
        {publicServices.length === 0 ? (
          <p className="muted">No service is shown on the status page yet (Admin › Services).</p>
        ) : (
          <div className="choice-list">
            {publicServices.map((s) => (
              <label key={s.id}>
                <input
                  type="checkbox"
                  checked={draft.componentIds.includes(s.id)}
                  onChange={(e) =>
                    set({ componentIds: e.target.checked ? [...draft.componentIds, s.id] : draft.componentIds.filter((id) => id !== s.id) })
                  }
                />{' '}
                {s.name}
              </label>
            ))}
          </div>
        )}
        {create.fieldError('componentIds') && (
          <p className="field-error" role="alert">
            {create.fieldError('componentIds')}
          </p>
        )}
      </fieldset>
      <div className="form-grid">
        <Field label="Starts" hint="In your time zone." error={create.fieldError('startsAt')}>
          {(p) => <input {...p} type="datetime-local" value={draft.startsAt} onChange={(e) => set({ startsAt: e.target.value })} />}
        </Field>
        <Field label="Ends" error={create.fieldError('endsAt')}>
          {(p) => <input {...p} type="datetime-local" value={draft.endsAt} onChange={(e) => set({ endsAt: e.target.value })} />}
        </Field>
        <Field
          label="Remind subscribers (hours before)"
          hint="0 for no reminder."
          error={notNumber ? 'Enter a number of hours' : create.fieldError('leadMinutes')}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min="0"
              step="1"
              inputMode="decimal"
              value={draft.leadHours}
              onChange={(e) => set({ leadHours: e.target.value })}
            />
          )}
        </Field>
      </div>
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={create.busy}>
          {existing ? 'Save and tell subscribers' : 'Plan maintenance'}
        </Button>
        {onClose && <Button onClick={onClose}>Keep as it was</Button>}
      </div>
    </form>
  );
}
