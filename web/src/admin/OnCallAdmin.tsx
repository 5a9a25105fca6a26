import { type FormEvent, useState } from 'react';
import * as onCallApi from '../api/endpoints/on-call';
import { useStaff, useTeams } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import { useEscalationPolicies, useRequesterP1Paging, useSchedules } from '../api/on-call-hooks';
import type {
  CreateEscalationPolicyIn,
  CreateScheduleIn,
  EscalationPolicyT as Policy,
  RequesterP1PagingT as RequesterP1Paging,
  ScheduleT as Schedule,
} from '../api/types';
import { Button, Field, PageHeader } from '../ui/kit';
import { ErrorNote } from './ErrorNote';
import { RecordList } from './RecordList';
import { useRecordEditor } from './useRecordEditor';
import { useSaveRecord } from './useSaveRecord';

type RotationKind = CreateScheduleIn['layers'][number]['rotation']['kind'];
type TargetType = CreateEscalationPolicyIn['levels'][number]['targets'][number]['type'];
type LayerForm = {
  key: string;
  name: string;
  kind: RotationKind;
  lengthHours: string;
  handoffTime: string;
  startDate: string;
  participants: string[];
};

const newLayer = (): LayerForm => ({
  key: crypto.randomUUID(),
  name: 'Primary',
  kind: 'weekly',
  lengthHours: '',
  handoffTime: '09:00',
  startDate: new Date().toISOString().slice(0, 10),
  participants: [],
});

/**
 * Who takes turns, in the order chosen: people are added to the end and moved up or down. (A
 * multiple select hands back its choices in list order, which saved every rota alphabetically.)
 */
function RotationOrder({
  layerNumber,
  participants,
  staff,
  error,
  onChange,
}: {
  layerNumber: number;
  participants: string[];
  staff: { id: string; name: string }[];
  error: string | undefined;
  onChange: (participants: string[]) => void;
}) {
  const nameOf = (id: string) => staff.find((u) => u.id === id)?.name ?? 'Someone no longer on staff';
  const move = (from: number, to: number) => {
    const next = [...participants];
    const [who] = next.splice(from, 1);
    next.splice(to, 0, who);
    onChange(next);
  };
  return (
    <div className="stack">
      <h3 id={`rotation-${layerNumber}`}>Who takes turns (in this order)</h3>
      {participants.length === 0 ? (
        <p className="muted">Nobody yet: add the people of this layer below.</p>
      ) : (
        <ol aria-labelledby={`rotation-${layerNumber}`}>
          {participants.map((id, k) => (
            <li key={id} className="row">
              <span>{nameOf(id)}</span>
              <Button aria-label={`Move ${nameOf(id)} up`} disabled={k === 0} onClick={() => move(k, k - 1)}>
                ↑
              </Button>
              <Button aria-label={`Move ${nameOf(id)} down`} disabled={k === participants.length - 1} onClick={() => move(k, k + 1)}>
                ↓
              </Button>
              <Button aria-label={`Remove ${nameOf(id)}`} onClick={() => onChange(participants.filter((p) => p !== id))}>
                Remove
              </Button>
            </li>
          ))}
        </ol>
      )}
      <Field label="Add someone to the rotation" hint="They take the last turn; move them up or down." error={error}>
        {(p) => (
          <select {...p} value="" onChange={(e) => e.target.value && onChange([...participants, e.target.value])}>
            <option value="">Choose a person</option>
            {staff
              .filter((u) => !participants.includes(u.id))
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
        )}
      </Field>
    </div>
  );
}

/** Whether a P1 made by a requester's own answers pages at once or waits for the desk to confirm it. */
function RequesterP1PagingForm() {
  const current = useRequesterP1Paging();
  if (!current.data) return null;
  return <RequesterP1PagingFields initial={current.data} />;
}

function RequesterP1PagingFields({ initial }: { initial: RequesterP1Paging }) {
  const save = useApiMutation({ mutationFn: onCallApi.setRequesterP1Paging, invalidates: [keys.onCall.requesterP1Paging] });
  const [waitForStaff, setWaitForStaff] = useState(initial.waitForStaff);
  const [minutes, setMinutes] = useState(initial.pageAfterMinutes === null ? '' : String(initial.pageAfterMinutes));
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = { waitForStaff, pageAfterMinutes: waitForStaff && minutes.trim() ? Number(minutes) : null };
    if (await save.run(body)) setSaved(true);
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="requester-p1-title">
      <h2 id="requester-p1-title">When a requester reports a P1</h2>
      <p className="muted">
        A requester who answers “many people” and “not at all” makes a ticket P1. Tickets the desk reports and alerts from monitoring always
        page on-call at once.
      </p>
      <ErrorNote error={save.error} />
      <fieldset>
        <legend>Paging on-call</legend>
        <label className="row">
          <input type="radio" name="requester-p1" checked={waitForStaff} onChange={() => setWaitForStaff(true)} />
          Wait for a staff member to confirm the priority
        </label>
        <label className="row">
          <input type="radio" name="requester-p1" checked={!waitForStaff} onChange={() => setWaitForStaff(false)} />
          Page on-call at once
        </label>
      </fieldset>
      {waitForStaff && (
        <Field
          label="Page anyway after (minutes)"
          hint="Empty: wait until someone on the desk confirms or changes it."
          error={save.fieldError('pageAfterMinutes')}
        >
          {(p) => <input {...p} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />}
        </Field>
      )}
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={save.busy}>
          Save
        </Button>
        {saved && <span role="status">Saved.</span>}
      </div>
    </form>
  );
}

/** Who gets woken up: on-call schedules (layers of rotations) and the escalation policies that page them. */
export function OnCallAdmin() {
  const schedules = useSchedules();
  const policies = useEscalationPolicies();
  const scheduleEditor = useRecordEditor<Schedule>();
  const policyEditor = useRecordEditor<Policy>();
  return (
    <div className="stack">
      <PageHeader title="On-call">
        <Button onClick={scheduleEditor.startNew}>New schedule</Button>
        <Button tone="primary" onClick={policyEditor.startNew}>
          New escalation policy
        </Button>
      </PageHeader>
      {scheduleEditor.form((schedule, onDone) => (
        <ScheduleForm schedule={schedule} onDone={onDone} />
      ))}
      {policyEditor.form((policy, onDone) => (
        <PolicyForm policy={policy} schedules={schedules.data?.items ?? []} onDone={onDone} />
      ))}
      <RequesterP1PagingForm />
      <section className="card" aria-labelledby="schedules-title">
        <h2 id="schedules-title">Schedules</h2>
        <p className="muted">
          The rota, and overrides for a holiday or a swap, are on the <a href="/on-call">On-call</a> page. A calendar feed of a schedule's
          shifts, for a calendar app, is not in these pages yet: it is made through the API (README, “Calendar feed”).
        </p>
        <RecordList
          items={schedules.data?.items ?? []}
          summary={(s) => (
            <>
              {s.timeZone} · {s.layers.length} layer{s.layers.length === 1 ? '' : 's'}
            </>
          )}
          onEdit={scheduleEditor.edit}
        />
      </section>
      <section className="card" aria-labelledby="policies-title">
        <h2 id="policies-title">Escalation policies</h2>
        <RecordList
          items={policies.data?.items ?? []}
          summary={(p) => (
            <>
              {p.levels.length} level{p.levels.length === 1 ? '' : 's'}, repeat {p.repeat}× · used by {p.teamIds.length} team(s)
            </>
          )}
          onEdit={policyEditor.edit}
        />
      </section>
    </div>
  );
}

function ScheduleForm({ schedule, onDone }: { schedule: Schedule | null; onDone: () => void }) {
  const save = useSaveRecord(schedule, { create: onCallApi.createSchedule, update: onCallApi.updateSchedule }, [keys.onCall.schedules]);
  const users = useStaff();
  const staff = users.data?.items ?? [];
  const [name, setName] = useState(schedule?.name ?? '');
  const [timeZone, setTimeZone] = useState(schedule?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [layers, setLayers] = useState<LayerForm[]>(
    schedule?.layers.map((l) => ({
      key: crypto.randomUUID(),
      name: l.name,
      kind: l.rotation.kind,
      lengthHours: l.rotation.lengthHours ? String(l.rotation.lengthHours) : '',
      handoffTime: l.handoffTime,
      startDate: l.startDate,
      participants: l.participants,
    })) ?? [newLayer()],
  );
  const setLayer = (i: number, patch: Partial<LayerForm>) => setLayers(layers.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name,
      timeZone,
      layers: layers.map((l) => ({
        name: l.name,
        rotation: { kind: l.kind, ...(l.kind === 'custom' ? { lengthHours: Number(l.lengthHours) || null } : {}) },
        handoffTime: l.handoffTime,
        startDate: l.startDate,
        participants: l.participants,
      })),
    };
    if (await save.run(body)) onDone();
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{schedule ? `Edit ${schedule.name}` : 'New on-call schedule'}</h2>
      <ErrorNote error={save.error} />
      <div className="form-grid">
        <Field label="Name" error={save.fieldError('name')}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Time zone" hint="Handoff times are local to it." error={save.fieldError('timeZone')}>
          {(p) => <input {...p} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />}
        </Field>
      </div>
      {layers.map((l, i) => (
        <fieldset key={l.key} className="card" style={{ marginBottom: '.75rem' }}>
          <legend>
            Layer {i + 1} {i > 0 ? '(overrides the layers above where it has someone)' : ''}
          </legend>
          <div className="form-grid narrow-cells">
            <Field label="Layer name" error={save.fieldError(`layers.${i}.name`)}>
              {(p) => <input {...p} value={l.name} onChange={(e) => setLayer(i, { name: e.target.value })} />}
            </Field>
            <Field label="Rotation" error={save.fieldError(`layers.${i}.rotation`)}>
              {(p) => (
                <select {...p} value={l.kind} onChange={(e) => setLayer(i, { kind: e.target.value as RotationKind })}>
                  <option value="daily">Daily</option>
                  <option value="weekly">Weekly</option>
                  <option value="custom">Custom length</option>
                </select>
              )}
            </Field>
            {l.kind === 'custom' && (
              <Field label="Shift length (hours)" error={save.fieldError(`layers.${i}.rotation.lengthHours`)}>
                {(p) => (
                  <input {...p} inputMode="numeric" value={l.lengthHours} onChange={(e) => setLayer(i, { lengthHours: e.target.value })} />
                )}
              </Field>
            )}
            <Field label="Handoff at" error={save.fieldError(`layers.${i}.handoffTime`)}>
              {(p) => <input {...p} type="time" value={l.handoffTime} onChange={(e) => setLayer(i, { handoffTime: e.target.value })} />}
            </Field>
            <Field label="Starting" error={save.fieldError(`layers.${i}.startDate`)}>
              {(p) => <input {...p} type="date" value={l.startDate} onChange={(e) => setLayer(i, { startDate: e.target.value })} />}
            </Field>
          </div>
          <RotationOrder
            layerNumber={i + 1}
            participants={l.participants}
            staff={staff}
            error={save.fieldError(`layers.${i}.participants`)}
            onChange={(participants) => setLayer(i, { participants })}
          />
          {layers.length > 1 && <Button onClick={() => setLayers(layers.filter((_, j) => j !== i))}>Remove layer {i + 1}</Button>}
        </fieldset>
      ))}
      <div className="form-actions">
        <Button onClick={() => setLayers([...layers, newLayer()])}>Add a layer</Button>
        <Button tone="primary" type="submit" busy={save.busy}>
          Save schedule
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

function PolicyForm({ policy, schedules, onDone }: { policy: Policy | null; schedules: Schedule[]; onDone: () => void }) {
  const save = useSaveRecord(policy, { create: onCallApi.createPolicy, update: onCallApi.updatePolicy }, [keys.onCall.policies]);
  const teams = useTeams();
  const users = useStaff();
  const staff = users.data?.items ?? [];
  const [name, setName] = useState(policy?.name ?? '');
  const [repeat, setRepeat] = useState(String(policy?.repeat ?? 0));
  const [teamIds, setTeamIds] = useState<string[]>(policy?.teamIds ?? []);
  const [levels, setLevels] = useState(
    policy?.levels.map((l) => ({
      key: crypto.randomUUID(),
      target: l.targets[0] ? `${l.targets[0].type}:${l.targets[0].id}` : '',
      timeout: String(l.timeoutMinutes),
    })) ?? [{ key: crypto.randomUUID(), target: '', timeout: '5' }],
  );
  const setLevel = (i: number, patch: Partial<{ target: string; timeout: string }>) =>
    setLevels(levels.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name,
      repeat: Number(repeat) || 0,
      teamIds,
      levels: levels.map((l) => {
        const [type, id] = l.target.split(':');
        return { targets: l.target ? [{ type: type as TargetType, id }] : [], timeoutMinutes: Number(l.timeout) || 0 };
      }),
    };
    if (await save.run(body)) onDone();
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{policy ? `Edit ${policy.name}` : 'New escalation policy'}</h2>
      <ErrorNote error={save.error} />
      <div className="form-grid">
        <Field label="Name" error={save.fieldError('name')}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Repeat the whole policy (times)" error={save.fieldError('repeat')}>
          {(p) => <input {...p} inputMode="numeric" value={repeat} onChange={(e) => setRepeat(e.target.value)} />}
        </Field>
      </div>
      {levels.map((l, i) => (
        <div key={l.key} className="row" style={{ alignItems: 'end' }}>
          <Field label={`Level ${i + 1}: page`} error={save.fieldError(`levels.${i}.targets`)}>
            {(p) => (
              <select {...p} value={l.target} onChange={(e) => setLevel(i, { target: e.target.value })}>
                <option value="">Choose…</option>
                <optgroup label="Whoever is on call on">
                  {schedules.map((s) => (
                    <option key={s.id} value={`schedule:${s.id}`}>
                      {s.name}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="A person">
                  {staff.map((u) => (
                    <option key={u.id} value={`user:${u.id}`}>
                      {u.name}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="A whole team">
                  {(teams.data?.items ?? []).map((t) => (
                    <option key={t.id} value={`team:${t.id}`}>
                      {t.name}
                    </option>
                  ))}
                </optgroup>
              </select>
            )}
          </Field>
          <Field label="then wait (minutes)" error={save.fieldError(`levels.${i}.timeoutMinutes`)}>
            {(p) => <input {...p} inputMode="numeric" value={l.timeout} onChange={(e) => setLevel(i, { timeout: e.target.value })} />}
          </Field>
          {levels.length > 1 && <Button onClick={() => setLevels(levels.filter((_, j) => j !== i))}>Remove level {i + 1}</Button>}
        </div>
      ))}
      <fieldset className="choices">
        <legend>Teams whose critical (P1) incidents page this policy</legend>
        <div className="choices-row">
          {(teams.data?.items ?? []).map((t) => (
            <label key={t.id} className={`choice ${teamIds.includes(t.id) ? 'choice-on' : ''}`}>
              <input
                type="checkbox"
                checked={teamIds.includes(t.id)}
                onChange={() => setTeamIds(teamIds.includes(t.id) ? teamIds.filter((x) => x !== t.id) : [...teamIds, t.id])}
              />
              {t.name}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-actions">
        <Button onClick={() => setLevels([...levels, { key: crypto.randomUUID(), target: '', timeout: '5' }])}>Add a level</Button>
        <Button tone="primary" type="submit" busy={save.busy}>
          Save policy
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
