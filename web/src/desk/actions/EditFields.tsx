import { useState } from 'react';
import * as ticketApi from '../../api/endpoints/tickets';
import { useCategories, useServices, useStaff, useTeams } from '../../api/hooks';
import type { TicketT, UpdateTicketIn } from '../../api/types';
import { Button, Field, IdSelect, LevelSelect } from '../../ui/kit';
import { PRIORITY_LABEL } from '../../ui/labels';
import type { ActionFormProps } from './action-form';
import { describeValue, FORM_LABEL, type FormValues, formValuesOf } from './edit-values';

/**
 * Edit the ticket's routing and classification. Only what the person changed is sent, and what a
 * colleague changed meanwhile is listed, so saving after a conflict keeps their values.
 */
export function EditFields({ ticket, action, baseVersion, onDone }: ActionFormProps) {
  const teams = useTeams();
  const services = useServices();
  const categories = useCategories();
  const users = useStaff();
  // The form sends only what the person changed. Fields they did not touch follow the ticket as
  // it is now, so a reload after a conflict shows the colleague's values and saving keeps them.
  const current = formValuesOf(ticket);
  // What changed under the person (opened → current) stays listed after "Reload it", until they save.
  const [opened] = useState(current);
  const [edits, setEdits] = useState<Partial<FormValues>>({});
  const form: FormValues = { ...current, ...edits };
  const set = (k: keyof FormValues) => (e: { target: { value: string } }) => {
    const next: Partial<FormValues> = { ...edits, [k]: e.target.value };
    // Another team: an assignee who is not in it goes (the server clears them too); the list shows whom to pick.
    if (k === 'teamId' && !('assigneeId' in edits) && current.assigneeId) {
      const newTeam = teams.data?.items.find((t) => t.id === e.target.value);
      if (newTeam && !newTeam.memberIds.includes(current.assigneeId)) next.assigneeId = '';
    }
    setEdits(next);
  };
  const team = teams.data?.items.find((t) => t.id === form.teamId);
  const staff = users.data?.items ?? [];
  const assignable = team ? staff.filter((u) => team.memberIds.includes(u.id) || u.id === form.assigneeId) : staff;
  const { fieldError } = action;
  const namesOf = (k: keyof FormValues, v: string) =>
    describeValue(k, v, { teams: teams.data?.items, staff, services: services.data?.items, categories: categories.data?.items });
  const changedUnder = (Object.keys(current) as (keyof FormValues)[]).filter((k) => k !== 'overrideReason' && opened[k] !== current[k]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const patch: UpdateTicketIn = {};
    const orNull = (v: string) => v || null;
    const changed = (k: keyof FormValues) => k in edits && edits[k] !== current[k];
    if (changed('teamId')) patch.teamId = orNull(form.teamId);
    if (changed('assigneeId')) patch.assigneeId = orNull(form.assigneeId);
    if (changed('serviceId')) patch.serviceId = orNull(form.serviceId);
    if (changed('categoryId')) patch.categoryId = orNull(form.categoryId);
    if (changed('impact')) patch.impact = Number(form.impact) as TicketT['impact'];
    if (changed('urgency')) patch.urgency = Number(form.urgency) as TicketT['urgency'];
    if (changed('override') || (form.override && changed('overrideReason'))) {
      patch.priorityOverride = form.override
        ? { priority: Number(form.override) as TicketT['priority'], reason: form.overrideReason }
        : null;
    }
    if (Object.keys(patch).length === 0) return onDone();
    if (await action.save((v) => ticketApi.update(ticket.id, v, patch), baseVersion)) onDone();
  };

  const select = (label: string, key: keyof FormValues, options: { id: string; name: string }[], none: string) => (
    <IdSelect label={label} value={form[key]} onChange={set(key)} options={options} none={none} error={fieldError(key)} />
  );
  return (
    <form onSubmit={submit}>
      <h2>Edit fields</h2>
      {changedUnder.length > 0 && (
        <div className="card" role="status" aria-label="Changed while you were editing">
          <h3>Changed by someone else while you were editing</h3>
          <ul>
            {changedUnder.map((k) => (
              <li key={k}>
                {FORM_LABEL[k]}: {namesOf(k, opened[k])} → <strong>{namesOf(k, current[k])}</strong>
                {k in edits && edits[k] !== current[k] ? ` (you chose ${namesOf(k, edits[k] ?? '')}: saving sends yours)` : ''}
              </li>
            ))}
          </ul>
          <p className="muted">Saving sends only the fields you changed; the others keep these new values.</p>
        </div>
      )}
      <div className="form-grid">
        {select('Team', 'teamId', teams.data?.items ?? [], 'No team')}
        {select('Assignee', 'assigneeId', assignable, 'Unassigned')}
        {select('Service', 'serviceId', services.data?.items ?? [], 'No service')}
        {select('Category', 'categoryId', categories.data?.items ?? [], 'No category')}
        <LevelSelect of="impact" value={form.impact} onChange={set('impact')} error={fieldError('impact')} />
        <LevelSelect of="urgency" value={form.urgency} onChange={set('urgency')} error={fieldError('urgency')} />
        <Field label="Priority override" hint="Empty: from the matrix (impact × urgency)." error={fieldError('priorityOverride')}>
          {(p) => (
            <select {...p} value={form.override} onChange={set('override')}>
              <option value="">From the matrix</option>
              {[1, 2, 3, 4, 5].map((v) => (
                <option key={v} value={v}>
                  {PRIORITY_LABEL[v].replace(' ', ' — ')}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {form.override && (
        <Field label="Why override the priority?" error={fieldError('priorityOverride.reason') ?? fieldError('priorityOverride')}>
          {(p) => <input {...p} value={form.overrideReason} onChange={set('overrideReason')} required />}
        </Field>
      )}
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={action.busy}>
          Save
        </Button>
        <Button onClick={onDone}>Back</Button>
      </div>
    </form>
  );
}
