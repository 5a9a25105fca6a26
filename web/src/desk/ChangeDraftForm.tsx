import { type FormEvent, useState } from 'react';
import type { ChangeRisk, ChangeType } from '../../../core/changes';
import { ErrorNote } from '../admin/ErrorNote';
import { humanMessage } from '../api/client';
import * as changeApi from '../api/endpoints/changes';
import * as majorApi from '../api/endpoints/major-incidents';
import { useServices } from '../api/hooks';
import { ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { TicketT } from '../api/types';
import { Button, Field, IdSelect } from '../ui/kit';
import { ChangePlanFields, instantOf } from './ChangePlanFields';
import type { Person } from './PersonPicker';

/** An instant as a `datetime-local` value in the browser's zone (what the form shows and edits). */
export function localInputOf(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/**
 * Editing a draft change before it is submitted (issue 17): its title, description, service, type,
 * risk, window, plans and approvers. Only what changed is sent, with the ticket's version, so a
 * colleague's save in between is a 412 naming them rather than a silent overwrite.
 */
export function ChangeDraftForm({ ticket, change, onDone }: { ticket: TicketT; change: changeApi.ChangeDetailT; onDone: () => void }) {
  const services = useServices();
  const initial = {
    title: ticket.title,
    description: ticket.description,
    serviceId: ticket.service?.id ?? '',
    type: change.type as ChangeType,
    risk: change.risk as ChangeRisk,
    plannedStart: localInputOf(change.plannedStart),
    plannedEnd: localInputOf(change.plannedEnd),
    implementationPlan: change.implementationPlan,
    testPlan: change.testPlan,
    backoutPlan: change.backoutPlan,
  };
  const [draft, setDraft] = useState(initial);
  const namedBefore: Person[] = change.namedApprovers ? change.approvers.map((a) => ({ id: a.id, name: a.name })) : [];
  const [approvers, setApprovers] = useState<Person[]>(namedBefore);
  const set = (patch: Partial<typeof draft>) => setDraft({ ...draft, ...patch });
  const save = useApiMutation({
    mutationFn: () => {
      const body: changeApi.UpdateChangeIn = {};
      for (const key of Object.keys(initial) as (keyof typeof initial)[]) {
        if (draft[key] === initial[key]) continue;
        if (key === 'plannedStart' || key === 'plannedEnd') body[key] = instantOf(draft[key]);
        else if (key === 'serviceId') body.serviceId = draft.serviceId || null;
        else Object.assign(body, { [key]: draft[key] });
      }
      const ids = approvers.map((a) => a.id);
      if (ids.length !== namedBefore.length || ids.some((id) => !namedBefore.some((a) => a.id === id))) body.approverIds = ids;
      return changeApi.update(ticket.id, ticket.version, body);
    },
    invalidates: ticketChanged(ticket.id),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await save.run()) onDone();
  };
  return (
    <form className="stack change-draft-form" onSubmit={submit} noValidate aria-label="Edit the draft">
      <ErrorNote error={save.error} />
      <Field label="Title" error={save.fieldError('title')}>
        {(p) => <input {...p} value={draft.title} maxLength={200} onChange={(e) => set({ title: e.target.value })} />}
      </Field>
      <Field label="What changes, and why" error={save.fieldError('description')}>
        {(p) => <textarea {...p} rows={3} value={draft.description} onChange={(e) => set({ description: e.target.value })} />}
      </Field>
      <IdSelect
        label="Service"
        value={draft.serviceId}
        onChange={(e) => set({ serviceId: e.target.value })}
        options={services.data?.items ?? []}
        none="No particular service"
        error={save.fieldError('serviceId')}
      />
      <ChangePlanFields
        name="edit-change"
        plan={draft}
        onChange={set}
        approvers={approvers}
        onApprovers={setApprovers}
        fieldError={save.fieldError}
      />
      <div className="form-actions">
        <Button type="submit" tone="primary" busy={save.busy}>
          Save the draft
        </Button>
        <Button tone="ghost" onClick={onDone}>
          Discard changes
        </Button>
      </div>
    </form>
  );
}

/** Links a problem or an incident to the change by its number (PRB… or INC…), on both timelines. */
export function ChangeLinkForm({ ticket }: { ticket: TicketT }) {
  const [number, setNumber] = useState('');
  const link = useApiMutation({
    mutationFn: async () => {
      const found = await majorApi.byNumber(number);
      return changeApi.link(ticket.id, ticket.version, [found.id]);
    },
    invalidates: ticketChanged(ticket.id),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await link.run()) setNumber('');
  };
  return (
    <form className="row wrap change-link-form" onSubmit={submit}>
      <Field label="Link a problem or incident by number" error={link.error ? humanMessage(link.error) : undefined}>
        {(p) => <input {...p} placeholder="PRB0000001 or INC0000042" value={number} onChange={(e) => setNumber(e.target.value)} />}
      </Field>
      <Button type="submit" busy={link.busy} disabled={!number.trim()}>
        Link
      </Button>
    </form>
  );
}
