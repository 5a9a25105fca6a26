import { type FormEvent, useState } from 'react';
import * as directoryApi from '../api/endpoints/directory';
import { useCalendars, useStaff, useTeams } from '../api/hooks';
import { keys } from '../api/keys';
import { useSchedules } from '../api/on-call-hooks';
import type { TeamT, UserT } from '../api/types';
import { Field, FormActions, IdSelect } from '../ui/kit';
import { ErrorNote } from './ErrorNote';
import { ListAndEdit } from './ListAndEdit';
import { useSaveRecord } from './useSaveRecord';

/** How a team shares its new tickets (fair assignment, issue 18), in words. */
const STRATEGY_WORDS: Record<string, string> = {
  '': 'the team queue',
  round_robin: 'members in turn',
  least_loaded: 'the least loaded member',
};

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
      columns={['Team', 'Manager', 'Members', 'New tickets go to']}
      cells={(t) => (
        <>
          <td>
            <strong>{t.name}</strong>
            <div className="muted">{t.description}</div>
          </td>
          <td>{t.managerId ? nameOf.get(t.managerId) : '—'}</td>
          <td>{t.memberIds.map((id) => nameOf.get(id) ?? '?').join(', ') || '—'}</td>
          <td>
            {STRATEGY_WORDS[t.assignmentStrategy ?? '']}
            {t.assignmentCap !== null && <div className="muted">at most {t.assignmentCap} open tickets each</div>}
          </td>
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
    assignmentStrategy: (team?.assignmentStrategy ?? '') as NonNullable<TeamT['assignmentStrategy']> | '',
    assignmentCap: team?.assignmentCap?.toString() ?? '',
    shiftScheduleId: team?.shiftScheduleId ?? '',
    workingHoursCalendarId: team?.workingHoursCalendarId ?? '',
  });
  const schedules = useSchedules().data?.items ?? [];
  const calendars = useCalendars().data?.items ?? [];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      ...form,
      managerId: form.managerId || null,
      assignmentStrategy: form.assignmentStrategy === '' ? null : form.assignmentStrategy,
      // Left as typed: the server names a cap that is not a whole number.
      assignmentCap: form.assignmentCap.trim() === '' ? null : Number(form.assignmentCap),
      shiftScheduleId: form.shiftScheduleId || null,
      workingHoursCalendarId: form.workingHoursCalendarId || null,
    };
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
      <IdSelect
        label="Manager"
        value={form.managerId}
        onChange={(e) => setForm({ ...form, managerId: e.target.value })}
        options={staff}
        none="No manager"
        error={save.fieldError('managerId')}
      />
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
      <fieldset className="stack">
        <legend>Fair assignment</legend>
        <Field
          label="New tickets go to"
          hint="A ticket that reaches the team with nobody assigned is given to a member at once. Deactivated, off-shift and capped members are passed over; the reason is on the ticket's timeline."
          error={save.fieldError('assignmentStrategy')}
        >
          {(p) => (
            <select
              {...p}
              value={form.assignmentStrategy}
              onChange={(e) => setForm({ ...form, assignmentStrategy: e.target.value as typeof form.assignmentStrategy })}
            >
              <option value="">The team queue (people pick them up)</option>
              <option value="round_robin">Members in turn (round robin)</option>
              <option value="least_loaded">The least loaded member (open tickets weighted by priority)</option>
            </select>
          )}
        </Field>
        <Field label="Most open tickets per person" hint="Empty: no limit." error={save.fieldError('assignmentCap')}>
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={form.assignmentCap}
              onChange={(e) => setForm({ ...form, assignmentCap: e.target.value })}
            />
          )}
        </Field>
        <IdSelect
          label="Shifts"
          hint="Only members on call in this schedule now take new tickets."
          value={form.shiftScheduleId}
          onChange={(e) => setForm({ ...form, shiftScheduleId: e.target.value })}
          options={schedules}
          none="Everyone, any time"
          error={save.fieldError('shiftScheduleId')}
        />
        <IdSelect
          label="Working hours"
          hint="Outside these hours new tickets wait in the team queue."
          value={form.workingHoursCalendarId}
          onChange={(e) => setForm({ ...form, workingHoursCalendarId: e.target.value })}
          options={calendars}
          none="Any time"
          error={save.fieldError('workingHoursCalendarId')}
        />
      </fieldset>
      <FormActions busy={save.busy} submit="Save" onCancel={onDone} />
    </form>
  );
}
