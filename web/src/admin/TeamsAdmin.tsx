import { type FormEvent, useState } from 'react';
import * as directoryApi from '../api/endpoints/directory';
import { useStaff, useTeams } from '../api/hooks';
import { keys } from '../api/keys';
import type { TeamT, UserT } from '../api/types';
import { Field, FormActions } from '../ui/kit';
import { ErrorNote } from './ErrorNote';
import { ListAndEdit } from './ListAndEdit';
import { useSaveRecord } from './useSaveRecord';

export function TeamsAdmin() {
  const teams = useTeams();
  const users = useStaff();
  const staff = users.data?.items ?? [];
  const nameOf = new Map(staff.map((u) => [u.id, u.name]));
  return (
    <ListAndEdit<TeamT>
      title="Teams"
      newLabel="New team"
      what="teams"
      pending={teams.isPending}
      items={teams.data?.items ?? []}
      columns={['Team', 'Manager', 'Members']}
      cells={(t) => (
        <>
          <td>
            <strong>{t.name}</strong>
            <div className="muted">{t.description}</div>
          </td>
          <td>{t.managerId ? nameOf.get(t.managerId) : '—'}</td>
          <td>{t.memberIds.map((id) => nameOf.get(id) ?? '?').join(', ') || '—'}</td>
        </>
      )}
      form={(team, onDone) => <TeamForm team={team} staff={staff} onDone={onDone} />}
    />
  );
}

function TeamForm({ team, staff, onDone }: { team: TeamT | null; staff: UserT[]; onDone: () => void }) {
  const save = useSaveRecord(team, { create: directoryApi.createTeam, update: directoryApi.updateTeam }, [keys.teams]);
  const [form, setForm] = useState({
    name: team?.name ?? '',
    description: team?.description ?? '',
    managerId: team?.managerId ?? '',
    memberIds: team?.memberIds ?? [],
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { ...form, managerId: form.managerId || null };
    if (await save.run(body)) onDone();
  };
  const toggle = (id: string) =>
    setForm({ ...form, memberIds: form.memberIds.includes(id) ? form.memberIds.filter((m) => m !== id) : [...form.memberIds, id] });
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{team ? `Edit ${team.name}` : 'New team'}</h2>
      <ErrorNote error={save.error} />
      <Field label="Name" error={save.fieldError('name')}>
        {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
      </Field>
      <Field label="Description" error={save.fieldError('description')}>
        {(p) => <input {...p} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />}
      </Field>
      <Field label="Manager" error={save.fieldError('managerId')}>
        {(p) => (
          <select {...p} value={form.managerId} onChange={(e) => setForm({ ...form, managerId: e.target.value })}>
            <option value="">No manager</option>
            {staff.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset className="choices">
        <legend>Members</legend>
        <div className="choices-row">
          {staff.map((u) => (
            <label key={u.id} className={`choice ${form.memberIds.includes(u.id) ? 'choice-on' : ''}`}>
              <input type="checkbox" checked={form.memberIds.includes(u.id)} onChange={() => toggle(u.id)} />
              {u.name}
            </label>
          ))}
        </div>
      </fieldset>
      <FormActions busy={save.busy} submit="Save" onCancel={onDone} />
    </form>
  );
}
