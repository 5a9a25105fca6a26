import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { ChangeRisk, ChangeType } from '../../../core/changes';
import { ErrorNote } from '../admin/ErrorNote';
import * as changeApi from '../api/endpoints/changes';
import * as ticketApi from '../api/endpoints/tickets';
import { useServices } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { TicketT } from '../api/types';
import { Button, Field, IdSelect, LevelSelect, Loading, PageHeader } from '../ui/kit';
import { ChangePlanFields, instantOf } from './ChangePlanFields';
import type { Person } from './PersonPicker';

/**
 * Record a change (issue 17): what, where, how risky, when, and the plans to do it, test it
 * and back it out; approvers by name, or none (then a manager approves). It starts as a draft.
 */
export default function NewChange() {
  const problemId = useSearchParams()[0].get('problem');
  const problem = useQuery({
    queryKey: keys.ticket.row(problemId ?? ''),
    queryFn: () => ticketApi.get(problemId as string),
    enabled: !!problemId,
  });
  // Planned from a problem ("Plan a change to fix it"): the form starts from it, linked.
  if (problemId && !problem.data && !problem.error) return <Loading what="the problem" />;
  const from = problemId && problem.data?.kind === 'problem' ? problem.data : null;
  return <ChangeForm key={from?.id ?? 'new'} problem={from} />;
}

function ChangeForm({ problem }: { problem: TicketT | null }) {
  const navigate = useNavigate();
  const services = useServices();
  const key = useRef(crypto.randomUUID());
  const [draft, setDraft] = useState({
    title: problem ? `Fix: ${problem.title}` : '',
    description: problem ? `Removes the cause of ${problem.number}.` : '',
    serviceId: problem?.service?.id ?? '',
    impact: '3',
    type: 'normal' as ChangeType,
    risk: 'medium' as ChangeRisk,
    plannedStart: '',
    plannedEnd: '',
    implementationPlan: '',
    testPlan: '',
    backoutPlan: '',
  });
  const [approvers, setApprovers] = useState<Person[]>([]);
  const set = (patch: Partial<typeof draft>) => setDraft({ ...draft, ...patch });
  const create = useApiMutation({
    mutationFn: () =>
      changeApi.create(
        {
          ...draft,
          serviceId: draft.serviceId || null,
          impact: Number(draft.impact) as 1 | 2 | 3,
          plannedStart: instantOf(draft.plannedStart),
          plannedEnd: instantOf(draft.plannedEnd),
          approverIds: approvers.map((a) => a.id),
          linkedTicketIds: problem ? [problem.id] : [],
        },
        key.current,
      ),
    invalidates: [keys.tickets.all],
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const made = await create.run();
    if (made) navigate(`/desk/tickets/${made.id}`);
  };

  return (
    <div className="stack">
      <p>
        <Link to="/desk/changes">Change calendar</Link>
      </p>
      <PageHeader title="New change" />
      <form className="card stack" onSubmit={submit} noValidate aria-label="New change">
        <p className="muted">It is saved as a draft: submit it for approval from its page once the plans are written.</p>
        {problem && (
          <p>
            Linked to problem <Link to={`/desk/tickets/${problem.id}`}>{problem.number}</Link> {problem.title}
          </p>
        )}
        <ErrorNote error={create.error} />
        <Field label="Title" error={create.fieldError('title')}>
          {(p) => <input {...p} value={draft.title} onChange={(e) => set({ title: e.target.value })} />}
        </Field>
        <Field label="What changes, and why" error={create.fieldError('description')}>
          {(p) => <textarea {...p} rows={3} value={draft.description} onChange={(e) => set({ description: e.target.value })} />}
        </Field>
        <div className="form-grid">
          <IdSelect
            label="Service"
            value={draft.serviceId}
            onChange={(e) => set({ serviceId: e.target.value })}
            options={services.data?.items ?? []}
            none="No particular service"
            error={create.fieldError('serviceId')}
          />
          <LevelSelect
            of="impact"
            value={draft.impact}
            onChange={(e) => set({ impact: e.target.value })}
            error={create.fieldError('impact')}
          />
        </div>
        <ChangePlanFields
          name="change"
          plan={draft}
          onChange={set}
          approvers={approvers}
          onApprovers={setApprovers}
          fieldError={create.fieldError}
        />
        <div className="form-actions">
          <Button type="submit" tone="primary" busy={create.busy}>
            Save draft
          </Button>
        </div>
      </form>
    </div>
  );
}
