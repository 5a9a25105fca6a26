import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PROBLEM_STAGE_LABELS } from '../../../core/problems';
import { humanMessage } from '../api/client';
import * as majorApi from '../api/endpoints/major-incidents';
import * as problemApi from '../api/endpoints/problems';
import { keys, ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import { useTicketAction } from '../api/ticket-hooks';
import type { TicketT } from '../api/types';
import { Banner, Button, Field, Loading, StateBadge } from '../ui/kit';

// Problems and known errors, and service impact, on the desk's ticket page (issue 17).

const OPEN = ['new', 'assigned', 'in_progress', 'on_hold'];
/** Under the timeline: linking, unlinking and the known-error mark are timeline events. */
const linksKey = (id: string) => [...keys.ticket.timeline(id), 'problem-links'] as const;
const knownKey = (id: string) => [...keys.ticket.timeline(id), 'known-errors'] as const;

/** "Known error PRB… — workaround: …" on an open incident of the problem's service (or category). */
export function KnownErrorsBanner({ ticket }: { ticket: TicketT }) {
  const known = useQuery({
    queryKey: knownKey(ticket.id),
    queryFn: () => problemApi.knownErrors(ticket.id),
    enabled: ticket.kind === 'incident' && OPEN.includes(ticket.state),
  });
  const items = known.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <div className="stack known-errors" data-testid="known-errors">
      {items.map((k) => (
        <Banner key={k.problemId} tone="warning">
          <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            <Link to={`/desk/tickets/${k.problemId}`}>Known error {k.number}</Link> — workaround: {k.workaround}
          </span>
          <br />
          <span className="muted">{k.title}</span>
        </Banner>
      ))}
    </div>
  );
}

/** An incident's problem, or "Create problem" from it. */
export function IncidentProblemCard({ ticket }: { ticket: TicketT }) {
  const links = useQuery({ queryKey: linksKey(ticket.id), queryFn: () => problemApi.links(ticket.id) });
  const [creating, setCreating] = useState(false);
  const problem = links.data?.problem;
  return (
    <section className="card" aria-labelledby="incident-problem-title" data-testid="incident-problem">
      <h2 id="incident-problem-title">Problem</h2>
      {!links.data ? (
        <Loading what="the problem" />
      ) : problem ? (
        <p>
          <Link to={`/desk/tickets/${problem.id}`}>{problem.number}</Link> {problem.title}{' '}
          <span className={`badge problem-stage problem-stage-${problem.stage}`}>{PROBLEM_STAGE_LABELS[problem.stage]}</span>
        </p>
      ) : creating ? (
        <CreateProblemForm ticket={ticket} onCancel={() => setCreating(false)} />
      ) : (
        <>
          <p className="muted">No problem investigates this incident’s underlying cause yet.</p>
          <Button onClick={() => setCreating(true)}>Create problem</Button>
        </>
      )}
    </section>
  );
}

function CreateProblemForm({ ticket, onCancel }: { ticket: TicketT; onCancel: () => void }) {
  const navigate = useNavigate();
  const key = useRef(crypto.randomUUID());
  const [title, setTitle] = useState(ticket.title);
  const create = useApiMutation({
    mutationFn: () =>
      problemApi.create(
        {
          title,
          description: `Raised from ${ticket.number}.`,
          serviceId: ticket.service?.id ?? null,
          categoryId: ticket.category?.id ?? null,
          teamId: ticket.team?.id ?? null,
          incidentIds: [ticket.id],
        },
        key.current,
      ),
    invalidates: ticketChanged(ticket.id),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = await create.run();
    if (problem) navigate(`/desk/tickets/${problem.id}`);
  };
  return (
    <form className="stack" onSubmit={submit}>
      <Field label="Problem title" error={create.fieldError('title')}>
        {(p) => <input {...p} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <p className="muted">
        It names {ticket.service?.name ?? 'no service'} and is linked to {ticket.number}.
      </p>
      {create.error && !create.fieldError('title') ? <Banner tone="danger">{humanMessage(create.error)}</Banner> : null}
      <div className="row">
        <Button tone="primary" type="submit" busy={create.busy}>
          Create problem
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

/** A problem's own fields: stage, root cause analysis, workaround, the known-error mark, linked incidents. */
export function ProblemPanel({ ticket }: { ticket: TicketT }) {
  const links = useQuery({ queryKey: linksKey(ticket.id), queryFn: () => problemApi.links(ticket.id) });
  const action = useTicketAction(ticket);
  const open = OPEN.includes(ticket.state);
  // A resolved problem still takes its final root cause; a closed one is history.
  const editable = open || ticket.state === 'resolved';
  const stage = links.data?.stage;
  return (
    <section className="card stack problem-panel" aria-labelledby="problem-title" data-testid="problem-panel">
      <h2 id="problem-title">
        Problem {stage ? <span className={`badge problem-stage problem-stage-${stage}`}>{PROBLEM_STAGE_LABELS[stage]}</span> : null}
      </h2>
      <NotesField ticket={ticket} field="rootCause" label="Root cause analysis" disabled={!editable} />
      <NotesField
        ticket={ticket}
        field="workaround"
        label="Workaround"
        hint="For the desk: shown on open incidents of the same service."
        disabled={!editable}
      />
      <NotesField
        ticket={ticket}
        field="publicWorkaround"
        label="Workaround for requesters"
        hint="Plain words for the people reporting it. While this is a known error, the portal shows this text alone beside their report; leave it empty to show them nothing."
        disabled={!editable}
      />
      {/* Deflection (issue 17 item 7): each person whose report ended on this workaround, counted once. */}
      {links.data?.solvedCount != null && (ticket.knownErrorAt || links.data.solvedCount > 0) ? (
        <p className="muted" data-testid="known-error-solved-count">
          {solvedWords(links.data.solvedCount)}
        </p>
      ) : null}
      {open && (
        <div className="row">
          {ticket.knownErrorAt ? (
            <Button busy={action.busy} onClick={() => action.save((v) => problemApi.markKnownError(ticket.id, v, false))}>
              Remove known-error mark
            </Button>
          ) : (
            <Button tone="primary" busy={action.busy} onClick={() => action.save((v) => problemApi.markKnownError(ticket.id, v, true))}>
              Mark as known error
            </Button>
          )}
          <span className="muted">
            {ticket.knownErrorAt
              ? 'Its workaround shows on every open incident of the same service (or category).'
              : 'A known error needs its workaround.'}
          </span>
        </div>
      )}
      {action.error ? <Banner tone="danger">{humanMessage(action.error)}</Banner> : null}
      {/* The change that removes the cause (issue 17 item 4): planned with this problem linked. */}
      {open && (
        <p>
          <Link to={`/desk/changes/new?problem=${ticket.id}`}>Plan a change to fix it</Link>
        </p>
      )}
      <h3>Linked incidents</h3>
      {!links.data ? (
        <Loading what="the linked incidents" />
      ) : links.data.incidents.length === 0 ? (
        <p className="muted">No incident is linked yet.</p>
      ) : (
        <ul className="problem-incidents" data-testid="problem-incidents" aria-label="Linked incidents">
          {links.data.incidents.map((i) => (
            <li key={i.id}>
              <Link to={`/desk/tickets/${i.id}`}>{i.number}</Link> <span className="problem-incident-title">{i.title}</span>{' '}
              <StateBadge state={i.state} />
              {open && (
                <Button
                  tone="ghost"
                  aria-label={`Unlink ${i.number}`}
                  onClick={() => action.save((v) => problemApi.unlinkIncident(ticket.id, v, i.id))}
                >
                  Unlink
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {open && <LinkIncidentForm ticket={ticket} />}
    </section>
  );
}

function solvedWords(count: number): string {
  if (count === 0) return 'In the portal, nobody has pressed “This solved it” on this workaround yet.';
  return `In the portal, this workaround solved ${count === 1 ? '1 report' : `${count} reports`} without a ticket (“This solved it”, once per person).`;
}

function NotesField({
  ticket,
  field,
  label,
  hint,
  disabled,
}: {
  ticket: TicketT;
  field: 'rootCause' | 'workaround' | 'publicWorkaround';
  label: string;
  hint?: string;
  disabled: boolean;
}) {
  const saved = ticket[field] ?? '';
  const [text, setText] = useState(saved);
  const [shown, setShown] = useState(saved);
  // A save (this person's or someone else's) came back: follow it unless they are typing.
  if (shown !== saved) {
    if (text === shown) setText(saved);
    setShown(saved);
  }
  const action = useTicketAction(ticket);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await action.save((v) => problemApi.update(ticket.id, v, { [field]: text }));
  };
  return (
    <form className="stack" onSubmit={submit}>
      <Field
        label={label}
        hint={hint}
        error={action.fieldError(field) ?? (action.error && !action.hasFieldErrors ? humanMessage(action.error) : undefined)}
      >
        {(p) => <textarea {...p} rows={3} value={text} disabled={disabled} maxLength={20_000} onChange={(e) => setText(e.target.value)} />}
      </Field>
      {!disabled && text !== saved && (
        <div className="row">
          <Button type="submit" tone="primary" busy={action.busy}>
            Save {label.toLowerCase()}
          </Button>
          <Button onClick={() => setText(saved)}>Discard</Button>
        </div>
      )}
    </form>
  );
}

/** Links an incident by its number (INC…). */
function LinkIncidentForm({ ticket }: { ticket: TicketT }) {
  const [number, setNumber] = useState('');
  const link = useApiMutation({
    mutationFn: async () => {
      const found = await majorApi.byNumber(number);
      return problemApi.linkIncidents(ticket.id, ticket.version, [found.id]);
    },
    invalidates: ticketChanged(ticket.id),
    refreshOnError: true,
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await link.run()) setNumber('');
  };
  return (
    <form className="row wrap" onSubmit={submit} style={{ alignItems: 'end' }}>
      <Field label="Link an incident by number" error={link.error ? humanMessage(link.error) : undefined}>
        {(p) => <input {...p} placeholder="INC0000042" value={number} onChange={(e) => setNumber(e.target.value)} />}
      </Field>
      <Button type="submit" busy={link.busy} disabled={!number.trim()}>
        Link incident
      </Button>
    </form>
  );
}

/** "What else is affected": the services depending on this ticket's service, directly or through others. */
export function ServiceImpactPanel({ ticket }: { ticket: TicketT }) {
  const impact = useQuery({
    queryKey: ['ticket-impact', ticket.id, ticket.service?.id ?? null],
    queryFn: () => problemApi.serviceImpact(ticket.id),
    enabled: ticket.service !== null,
  });
  if (!ticket.service) return null;
  return (
    <section className="card" aria-labelledby="impact-title" data-testid="service-impact">
      <h2 id="impact-title">What else is affected</h2>
      {!impact.data ? (
        <Loading what="the services affected" />
      ) : impact.data.affected.length === 0 ? (
        <p className="muted">No other service depends on {ticket.service.name}.</p>
      ) : (
        <>
          <p className="muted">Services that depend on {ticket.service.name}, nearest first:</p>
          <ul className="impact-list">
            {impact.data.affected.map((s) => (
              <li key={s.serviceId}>
                <strong>{s.name}</strong> <span className="muted">{s.depth === 1 ? 'depends on it directly' : `through ${s.viaName}`}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
