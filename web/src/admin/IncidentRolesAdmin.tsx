import { type FormEvent, useState } from 'react';
import * as api from '../api/endpoints/incident-response';
import { keys } from '../api/keys';
import { useRoster } from '../api/major-incident-hooks';
import type { IncidentRoleT, UpdateIncidentRoleIn } from '../api/types';
import { Field, FormActions } from '../ui/kit';
import { ErrorNote } from './ErrorNote';
import { ListAndEdit } from './ListAndEdit';
import { useSaveRecord } from './useSaveRecord';

/** The roster of response roles a major incident is staffed from (issue 14). */
export function IncidentRolesAdmin() {
  const roster = useRoster();
  return (
    <ListAndEdit<IncidentRoleT>
      title="Response roles"
      newLabel="New role"
      what="the response roles"
      pending={roster.isPending}
      items={roster.data?.items ?? []}
      columns={['Role', 'Held by', 'When assigned', 'Checklist']}
      cells={(r) => (
        <>
          <td>
            <strong>{r.name}</strong>
            {!r.active && <span className="muted"> (retired)</span>}
            <div className="muted">{r.description}</div>
          </td>
          <td>{r.singleHolder ? 'One person' : 'Several people'}</td>
          <td>{r.pages ? 'Pages the person' : 'Notifies the person'}</td>
          <td>{r.checklist.length > 0 ? r.checklist.join(' · ') : '—'}</td>
        </>
      )}
      form={(role, onDone) => <RoleForm role={role} onDone={onDone} />}
    />
  );
}

function RoleForm({ role, onDone }: { role: IncidentRoleT | null; onDone: () => void }) {
  const save = useSaveRecord(
    role,
    {
      // A new role is in use; only an existing one can be retired.
      create: ({ active: _inUse, ...body }: UpdateIncidentRoleIn & { name: string }) => api.createRole(body),
      update: (id, body) => api.updateRole(id, role?.version ?? 1, body),
    },
    [keys.incidentRoles],
  );
  const [form, setForm] = useState({
    name: role?.name ?? '',
    description: role?.description ?? '',
    checklist: (role?.checklist ?? []).join('\n'),
    singleHolder: role?.singleHolder ?? true,
    pages: role?.pages ?? false,
    active: role?.active ?? true,
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checklist = form.checklist
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const body = { name: form.name, description: form.description, checklist, singleHolder: form.singleHolder, pages: form.pages };
    if (await save.run({ ...body, active: form.active })) onDone();
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{role ? `Edit ${role.name}` : 'New response role'}</h2>
      <ErrorNote error={save.error} />
      <Field label="Name" error={save.fieldError('name')}>
        {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
      </Field>
      <Field label="What the holder does" error={save.fieldError('description')}>
        {(p) => <input {...p} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />}
      </Field>
      <Field label="Checklist" hint="One item per line; the holder sees it on the incident." error={save.fieldError('checklist')}>
        {(p) => <textarea {...p} rows={3} value={form.checklist} onChange={(e) => setForm({ ...form, checklist: e.target.value })} />}
      </Field>
      <label className="row">
        <input type="checkbox" checked={form.singleHolder} onChange={(e) => setForm({ ...form, singleHolder: e.target.checked })} />
        Only one person holds it at a time
      </label>
      <label className="row">
        <input type="checkbox" checked={form.pages} onChange={(e) => setForm({ ...form, pages: e.target.checked })} />
        Giving it pages the person (otherwise they are notified)
      </label>
      {role && (
        <label className="row">
          <input type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} />
          In use (unticked: retired, kept on past incidents)
        </label>
      )}
      <FormActions busy={save.busy} submit="Save" onCancel={onDone} />
    </form>
  );
}
