import { type FormEvent, useId, useState } from 'react';
import * as catalogApi from '../api/endpoints/catalog';
import { useServices, useTeams } from '../api/hooks';
import { keys } from '../api/keys';
import type { ServiceT } from '../api/types';
import { Field, FormActions, IdSelect } from '../ui/kit';
import { ErrorNote } from './ErrorNote';
import { ListAndEdit } from './ListAndEdit';
import { useSaveRecord } from './useSaveRecord';

export function ServicesAdmin() {
  const services = useServices();
  const teams = useTeams();
  const all = services.data?.items ?? [];
  const nameOf = new Map(all.map((s) => [s.id, s.name]));
  const teamName = new Map((teams.data?.items ?? []).map((t) => [t.id, t.name]));
  return (
    <ListAndEdit<ServiceT>
      title="Services and components"
      newLabel="New service"
      what="services"
      pending={services.isPending}
      items={[...all].sort((a, b) => a.name.localeCompare(b.name))}
      columns={['Service', 'Part of', 'Owner team', 'Depends on', 'In the portal', 'Status page']}
      cells={(s) => (
        <>
          <td>{s.name}</td>
          <td>{s.parentId ? nameOf.get(s.parentId) : '—'}</td>
          <td>{s.ownerTeamId ? teamName.get(s.ownerTeamId) : '—'}</td>
          <td>{s.dependsOnIds.map((d) => nameOf.get(d)).join(', ') || '—'}</td>
          <td>
            {s.visibleToRequesters ? (
              <span className="badge badge-offered">Offered to requesters</span>
            ) : (
              <span className="badge badge-staff-only">Staff only</span>
            )}
          </td>
          <td>{s.onStatusPage ? 'Shown' : '—'}</td>
        </>
      )}
      form={(service, onDone) => <ServiceForm service={service} all={all} onDone={onDone} />}
    />
  );
}

function ServiceForm({ service, all, onDone }: { service: ServiceT | null; all: ServiceT[]; onDone: () => void }) {
  const teams = useTeams();
  const save = useSaveRecord(service, { create: catalogApi.createService, update: catalogApi.updateService }, [keys.services]);
  const [form, setForm] = useState({
    name: service?.name ?? '',
    description: service?.description ?? '',
    parentId: service?.parentId ?? '',
    ownerTeamId: service?.ownerTeamId ?? '',
    dependsOnIds: service?.dependsOnIds ?? [],
    visibleToRequesters: service?.visibleToRequesters ?? true,
    onStatusPage: service?.onStatusPage ?? false,
  });
  const visibilityHintId = useId();
  const statusHintId = useId();
  const others = all.filter((s) => s.id !== service?.id).sort((a, b) => a.name.localeCompare(b.name));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { ...form, parentId: form.parentId || null, ownerTeamId: form.ownerTeamId || null };
    if (await save.run(body)) onDone();
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{service ? `Edit ${service.name}` : 'New service'}</h2>
      <ErrorNote error={save.error} />
      <Field label="Name" error={save.fieldError('name')}>
        {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
      </Field>
      <Field label="Description" error={save.fieldError('description')}>
        {(p) => <input {...p} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />}
      </Field>
      <IdSelect
        label="Part of (makes this a component)"
        value={form.parentId}
        onChange={(e) => setForm({ ...form, parentId: e.target.value })}
        options={others.filter((s) => !s.parentId)}
        none="Nothing — a service of its own"
        error={save.fieldError('parentId')}
      />
      <IdSelect
        label="Owner team"
        hint="New tickets on this service go to this team unless a category says otherwise."
        value={form.ownerTeamId}
        onChange={(e) => setForm({ ...form, ownerTeamId: e.target.value })}
        options={teams.data?.items ?? []}
        none="No owner"
        error={save.fieldError('ownerTeamId')}
      />
      <Field
        label="Depends on"
        hint="Hold Ctrl (⌘ on a Mac) to choose several. Cycles are refused."
        error={save.fieldError('dependsOnIds')}
      >
        {(p) => (
          <select
            {...p}
            multiple
            size={Math.min(8, others.length)}
            value={form.dependsOnIds}
            onChange={(e) => setForm({ ...form, dependsOnIds: [...e.target.selectedOptions].map((o) => o.value) })}
          >
            {others.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field">
        <label className="choice">
          <input
            type="checkbox"
            checked={form.visibleToRequesters}
            aria-describedby={visibilityHintId}
            onChange={(e) => setForm({ ...form, visibleToRequesters: e.target.checked })}
          />
          Requesters can choose this service when they report a problem or ask for something
        </label>
        <p className="field-hint" id={visibilityHintId}>
          Clear it for infrastructure people would not recognise (a database cluster, the firewalls). Staff still see every service, and a
          known problem on a hidden one still shows to the people it affects.
        </p>
      </div>
      <div className="field">
        <label className="choice">
          <input
            type="checkbox"
            checked={form.onStatusPage}
            aria-describedby={statusHintId}
            onChange={(e) => setForm({ ...form, onStatusPage: e.target.checked })}
          />
          Show it on the public status page
        </label>
        <p className="field-hint" id={statusHintId}>
          Anyone can see <a href="/status">the status page</a> without signing in: its status, 90-day uptime and the desk’s public updates
          on global and major incidents that affect it.
        </p>
      </div>
      <FormActions busy={save.busy} submit="Save" onCancel={onDone} />
    </form>
  );
}
