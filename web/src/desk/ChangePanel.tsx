import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { CHANGE_RISK_LABELS, CHANGE_STAGE_LABELS, CHANGE_TYPE_LABELS } from '../../../core/changes';
import { isManager } from '../../../core/permissions';
import { ErrorNote } from '../admin/ErrorNote';
import * as changeApi from '../api/endpoints/changes';
import { keys, ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { MeT, TicketT } from '../api/types';
import { dateTime } from '../ui/format';
import { Banner, Button, Field, Loading } from '../ui/kit';
import { ChangeDraftForm, ChangeLinkForm } from './ChangeDraftForm';

/** Under the timeline: every move of a change is a timeline event. */
const detailKey = (id: string) => [...keys.ticket.timeline(id), 'change'] as const;

/** Stages in which the change is still ahead or under way: links can still be added. */
const LIVE: readonly string[] = ['draft', 'awaiting_approval', 'scheduled', 'implementing'];

const DECISION_LABEL = { approved: 'Approved', rejected: 'Rejected' } as const;

/** A change's page (issue 17): stage, plan, window, conflicts, approvals and the next move. */
export function ChangePanel({ ticket, me }: { ticket: TicketT; me: MeT }) {
  const change = useQuery({ queryKey: detailKey(ticket.id), queryFn: () => changeApi.detail(ticket.id) });
  const [editing, setEditing] = useState(false);
  const c = change.data;
  if (!c) {
    return (
      <section className="card" aria-label="Change">
        <Loading what="the change" />
      </section>
    );
  }
  const mine = c.approvers.find((a) => a.id === me.id);
  const mayDecide = c.stage === 'awaiting_approval' && (c.namedApprovers ? !!mine : isManager(me));
  return (
    <section className="card stack" aria-labelledby="change-title" data-testid="change-panel">
      <h2 id="change-title">
        Change <span className={`badge change-stage change-stage-${c.stage}`}>{CHANGE_STAGE_LABELS[c.stage]}</span>
      </h2>
      {c.conflicts.length > 0 && (
        <Banner tone="warning" title="This window touches other work">
          <ul>
            {c.conflicts.map((k) => (
              <li key={k.ticketId}>
                <Link to={`/desk/tickets/${k.ticketId}`}>{k.number}</Link>:{' '}
                {k.kind === 'major_incident'
                  ? `an open major incident on ${k.serviceName}`
                  : `another change on ${k.serviceName} in an overlapping window`}
              </li>
            ))}
          </ul>
        </Banner>
      )}
      {c.stage === 'draft' && !editing && (
        <div className="form-actions">
          <Button onClick={() => setEditing(true)}>Edit draft…</Button>
          <span className="muted">Title, service, window, plans and approvers can change until it is submitted.</span>
        </div>
      )}
      {editing && c.stage === 'draft' ? (
        <ChangeDraftForm ticket={ticket} change={c} onDone={() => setEditing(false)} />
      ) : (
        <ChangeFacts change={c} />
      )}
      <h3>Approvals</h3>
      {c.approvers.length === 0 ? (
        <p className="muted">{c.namedApprovers ? 'No decisions yet.' : 'No approvers named: any manager approves.'}</p>
      ) : (
        <ul className="change-approvers">
          {c.approvers.map((a) => (
            <li key={a.id}>
              <strong>{a.name}</strong>: {a.decision ? DECISION_LABEL[a.decision] : 'not decided yet'}
              {a.comment && <span className="pre-wrap"> — “{a.comment}”</span>}
            </li>
          ))}
        </ul>
      )}
      {mayDecide && <DecisionForm ticket={ticket} />}
      <h3>Linked problems and incidents</h3>
      {c.links.length > 0 ? (
        <ul aria-label="Linked problems and incidents">
          {c.links.map((l) => (
            <li key={l.id}>
              <Link to={`/desk/tickets/${l.id}`}>{l.number}</Link> {l.title}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None linked yet.</p>
      )}
      {LIVE.includes(c.stage) && <ChangeLinkForm ticket={ticket} />}
      {/* Submitting while the draft form holds unsaved edits would submit the plan without them. */}
      {!editing && <NextMove ticket={ticket} stage={c.stage} me={me} announceable={c.type === 'normal' && !c.maintenanceId} />}
    </section>
  );
}

/** The change's plan as it stands: type, risk, window, announcement and the three plans. */
function ChangeFacts({ change: c }: { change: changeApi.ChangeDetailT }) {
  return (
    <>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{CHANGE_TYPE_LABELS[c.type]}</dd>
        <dt>Risk</dt>
        <dd>{CHANGE_RISK_LABELS[c.risk]}</dd>
        <dt>Planned window</dt>
        <dd>
          <time dateTime={c.plannedStart}>{dateTime(c.plannedStart)}</time> to <time dateTime={c.plannedEnd}>{dateTime(c.plannedEnd)}</time>
        </dd>
        {c.maintenanceId && (
          <>
            <dt>Status page</dt>
            <dd>
              <Link to="/desk/maintenance">Announced as planned maintenance</Link>
            </dd>
          </>
        )}
      </dl>
      <Plan title="Implementation plan" text={c.implementationPlan} />
      <Plan title="Test plan" text={c.testPlan} />
      <Plan title="Backout plan" text={c.backoutPlan} />
    </>
  );
}

function Plan({ title, text }: { title: string; text: string }) {
  return (
    <div>
      <h3>{title}</h3>
      {text.trim() ? <p className="pre-wrap">{text}</p> : <p className="muted">Not written yet.</p>}
    </div>
  );
}

function DecisionForm({ ticket }: { ticket: TicketT }) {
  const [comment, setComment] = useState('');
  const decide = useApiMutation({
    mutationFn: (decision: 'approved' | 'rejected') => changeApi.decide(ticket.id, { decision, comment }),
    invalidates: ticketChanged(ticket.id),
  });
  return (
    <div className="stack">
      <ErrorNote error={decide.error} />
      <Field label="Your comment" hint="Required to reject." error={decide.fieldError('comment')}>
        {(p) => <textarea {...p} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />}
      </Field>
      <div className="form-actions">
        <Button tone="primary" busy={decide.busy} onClick={() => decide.run('approved')}>
          Approve
        </Button>
        <Button busy={decide.busy} onClick={() => decide.run('rejected')}>
          Reject
        </Button>
      </div>
    </div>
  );
}

/** The one or two moves the stage allows, in words. */
function NextMove({ ticket, stage, me, announceable }: { ticket: TicketT; stage: string; me: MeT; announceable: boolean }) {
  const [finishing, setFinishing] = useState(false);
  const [notes, setNotes] = useState('');
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const cancel = useApiMutation({
    mutationFn: () => changeApi.cancel(ticket.id, ticket.version, reason),
    invalidates: ticketChanged(ticket.id),
  });
  const unfinished = ['draft', 'awaiting_approval', 'scheduled', 'implementing'].includes(stage);
  const act = useApiMutation({
    mutationFn: (action: 'submit' | 'start') => changeApi.act(ticket.id, ticket.version, action),
    invalidates: ticketChanged(ticket.id),
  });
  const complete = useApiMutation({
    mutationFn: (outcome: 'succeeded' | 'failed') => changeApi.complete(ticket.id, ticket.version, { outcome, notes }),
    invalidates: ticketChanged(ticket.id),
  });
  const announce = useApiMutation({ mutationFn: () => changeApi.announce(ticket.id), invalidates: ticketChanged(ticket.id) });
  return (
    <div className="stack">
      <ErrorNote error={act.error ?? announce.error} />
      <div className="form-actions">
        {stage === 'draft' && (
          <Button tone="primary" busy={act.busy} onClick={() => act.run('submit')}>
            Submit for approval
          </Button>
        )}
        {stage === 'scheduled' && (
          <Button tone="primary" busy={act.busy} onClick={() => act.run('start')}>
            Start implementing
          </Button>
        )}
        {stage === 'scheduled' && announceable && isManager(me) && (
          <Button busy={announce.busy} onClick={() => announce.run()}>
            Announce on the status page
          </Button>
        )}
        {stage === 'implementing' && !finishing && (
          <Button tone="primary" onClick={() => setFinishing(true)}>
            Finish…
          </Button>
        )}
        {unfinished && !cancelling && <Button onClick={() => setCancelling(true)}>Cancel change…</Button>}
      </div>
      {cancelling && unfinished && (
        <div className="stack">
          <ErrorNote error={cancel.error} />
          <Field label="Why it is cancelled" error={cancel.fieldError('reason')}>
            {(p) => <textarea {...p} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div className="form-actions">
            <Button tone="danger" busy={cancel.busy} onClick={() => cancel.run()}>
              Cancel the change
            </Button>
            <Button tone="ghost" onClick={() => setCancelling(false)}>
              Keep it
            </Button>
          </div>
        </div>
      )}
      {finishing && stage === 'implementing' && (
        <div className="stack">
          <ErrorNote error={complete.error} />
          <Field label="How it went" error={complete.fieldError('notes')}>
            {(p) => <textarea {...p} rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />}
          </Field>
          <div className="form-actions">
            <Button tone="primary" busy={complete.busy} onClick={() => complete.run('succeeded')}>
              Done: it worked
            </Button>
            <Button busy={complete.busy} onClick={() => complete.run('failed')}>
              Failed: backed out
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
