import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  ACTION_ITEM_PRIORITIES,
  ACTION_ITEM_PRIORITY_LABELS,
  REVIEW_SECTION_LABELS,
  REVIEW_SECTIONS,
  type ReviewSection,
  type ReviewState,
} from '../../../core/incident-review';
import { humanMessage } from '../api/client';
import * as reviewApi from '../api/endpoints/reviews';
import { useStaff } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { MeT, TicketT } from '../api/types';
import { dateTime } from '../ui/format';
import { Banner, Button, Field, Loading } from '../ui/kit';

/** The moves offered from each state, in words (the server says no to anything else). */
const MOVES: Record<ReviewState, { to: ReviewState; label: string }[]> = {
  draft: [{ to: 'in_review', label: 'Send for review' }],
  in_review: [
    { to: 'published', label: 'Publish' },
    { to: 'draft', label: 'Back to draft' },
  ],
  published: [],
};

/**
 * The post-incident review of an incident (issue 17): key moments and durations Firebreak
 * computed, the sections the team writes (drafted from the timeline and the blameless template),
 * draft → in review → published, the Markdown export, and the action items with owners and due dates.
 */
export function ReviewPanel({ ticket, me }: { ticket: TicketT; me: MeT }) {
  const review = useQuery({ queryKey: keys.ticket.review(ticket.id), queryFn: () => reviewApi.get(ticket.id) });
  const invalidates = [keys.ticket.review(ticket.id), keys.ticket.timeline(ticket.id)];
  const draft = useApiMutation({ mutationFn: () => reviewApi.draft(ticket.id), invalidates });
  const move = useApiMutation({
    mutationFn: ({ version, to }: { version: number; to: ReviewState }) => reviewApi.move(ticket.id, version, to),
    invalidates,
    refreshOnError: true,
  });
  const v = review.data;
  return (
    <section className="card review-panel" aria-labelledby="review-title" data-testid="post-incident-review">
      <h2 id="review-title">Post-incident review</h2>
      {!v ? (
        <Loading what="the review" />
      ) : (
        <>
          <KeyMoments view={v} timeZone={me.timeZone} />
          {v.review === null ? (
            <>
              <p className="muted">
                No review yet. Drafting one fills the timeline from the incident and the sections from the blameless template.
              </p>
              <Button tone="primary" busy={draft.busy} onClick={() => draft.run()}>
                Draft the review
              </Button>
              {draft.error ? <Banner tone="danger">{humanMessage(draft.error)}</Banner> : null}
            </>
          ) : (
            <>
              <p className="row review-state">
                <span className={`badge review-badge-${v.review.state}`}>{v.review.stateLabel}</span>
                <span className="muted">
                  Last changed {dateTime(v.review.updatedAt)}
                  {v.review.updatedBy ? ` by ${v.review.updatedBy}` : ''}
                </span>
              </p>
              <div className="actions">
                {MOVES[v.review.state].map((m) => (
                  <Button
                    key={m.to}
                    tone={m.to === 'published' ? 'primary' : 'secondary'}
                    busy={move.busy}
                    onClick={() => v.review && move.run({ version: v.review.version, to: m.to })}
                  >
                    {m.label}
                  </Button>
                ))}
                <a className="btn btn-secondary" href={reviewApi.markdownHref(ticket.id)} download>
                  Export as Markdown
                </a>
              </div>
              {move.error ? <Banner tone="danger">{humanMessage(move.error)}</Banner> : null}
              <Sections ticketId={ticket.id} review={v.review} />
            </>
          )}
          <ActionItems ticketId={ticket.id} view={v} />
        </>
      )}
    </section>
  );
}

function KeyMoments({ view, timeZone }: { view: reviewApi.PostIncidentReviewT; timeZone: string }) {
  const fmt = (at: string) => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  return (
    <div className="review-facts">
      <h3>Key moments</h3>
      <dl className="review-moments">
        {view.moments.map((m) => (
          <div key={m.moment}>
            <dt>{m.label}</dt>
            <dd>{m.at ? fmt(m.at) : <span className="muted">Not known: {m.missing}</span>}</dd>
          </div>
        ))}
      </dl>
      <div className="review-table-scroll">
        <table className="review-durations">
          <caption className="muted">Business time counted {view.calendar}</caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">Wall-clock</th>
              <th scope="col">Business time</th>
            </tr>
          </thead>
          <tbody>
            {view.durations.map((d) => (
              <tr key={d.kind}>
                <th scope="row">{d.label}</th>
                <td>{d.wall ?? '—'}</td>
                <td>{d.business ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

type ReviewRowT = NonNullable<reviewApi.PostIncidentReviewT['review']>;

function Sections({ ticketId, review }: { ticketId: string; review: ReviewRowT }) {
  const [editing, setEditing] = useState<ReviewSection | null>(null);
  const [text, setText] = useState('');
  const save = useApiMutation({
    mutationFn: () => reviewApi.edit(ticketId, review.version, editing ? { [editing]: text } : {}),
    invalidates: [keys.ticket.review(ticketId)],
    onSuccess: () => setEditing(null),
  });
  const editable = review.state !== 'published';
  return (
    <div className="review-sections">
      {REVIEW_SECTIONS.map((section) => (
        <div key={section} className="review-section">
          <div className="row review-section-head">
            <h3>{REVIEW_SECTION_LABELS[section]}</h3>
            {editable && editing !== section && (
              <Button
                onClick={() => {
                  save.reset();
                  setText(review.sections[section]);
                  setEditing(section);
                }}
              >
                Edit<span className="visually-hidden"> {REVIEW_SECTION_LABELS[section]}</span>
              </Button>
            )}
          </div>
          {editing === section ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                save.run();
              }}
            >
              <Field
                label={REVIEW_SECTION_LABELS[section]}
                hint="Markdown. Describe systems and decisions, not people to blame."
                error={save.fieldError(`sections.${section}`)}
              >
                {(p) => <textarea {...p} rows={8} value={text} onChange={(e) => setText(e.target.value)} />}
              </Field>
              {save.error && !save.hasFieldErrors ? <Banner tone="danger">{humanMessage(save.error)}</Banner> : null}
              <div className="actions">
                <Button tone="primary" type="submit" busy={save.busy}>
                  Save {REVIEW_SECTION_LABELS[section].toLowerCase()}
                </Button>
                <Button onClick={() => setEditing(null)}>Cancel</Button>
              </div>
            </form>
          ) : (
            <p className="review-text">{review.sections[section] || <span className="muted">Not written.</span>}</p>
          )}
        </div>
      ))}
    </div>
  );
}

function ActionItems({ ticketId, view }: { ticketId: string; view: reviewApi.PostIncidentReviewT }) {
  const staff = useStaff();
  const [title, setTitle] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [priority, setPriority] = useState<(typeof ACTION_ITEM_PRIORITIES)[number]>('medium');
  const invalidates = [keys.ticket.review(ticketId)];
  const add = useApiMutation({
    mutationFn: () => reviewApi.addActionItem(ticketId, { title, ...(ownerId ? { ownerId } : {}), dueOn, priority }),
    invalidates,
    onSuccess: () => {
      setTitle('');
      setDueOn('');
    },
  });
  const change = useApiMutation({
    mutationFn: ({ id, version, state }: { id: string; version: number; state: 'done' | 'cancelled' | 'open' }) =>
      reviewApi.updateActionItem(id, version, { state }),
    invalidates,
    refreshOnError: true,
  });
  return (
    <div className="review-actions">
      <h3>Action items</h3>
      {view.actionItems.length === 0 ? (
        <p className="muted">No action item yet.</p>
      ) : (
        <ul className="plain-list task-list" aria-label="Action items">
          {view.actionItems.map((a) => (
            <li key={a.id} className={`task ${a.overdue ? 'task-overdue' : ''}`}>
              <span className={a.state === 'open' ? '' : 'task-done'}>{a.title}</span>
              <p className="muted">
                {a.owner.name} · due {a.dueOn} · {a.priorityLabel} priority · {a.stateLabel}
                {a.overdue ? (
                  <>
                    {' '}
                    <span className="badge badge-overdue">Overdue</span>
                  </>
                ) : null}
              </p>
              {a.state === 'open' && (
                <div className="actions">
                  <Button busy={change.busy} onClick={() => change.run({ id: a.id, version: a.version, state: 'done' })}>
                    Mark done<span className="visually-hidden">: {a.title}</span>
                  </Button>
                  <Button busy={change.busy} onClick={() => change.run({ id: a.id, version: a.version, state: 'cancelled' })}>
                    Cancel<span className="visually-hidden">: {a.title}</span>
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {change.error ? <Banner tone="danger">{humanMessage(change.error)}</Banner> : null}
      <form
        className="form-grid"
        aria-label="Add an action item"
        onSubmit={(e) => {
          e.preventDefault();
          add.run();
        }}
      >
        <Field label="New action item" error={add.fieldError('title')}>
          {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field label="Owner" error={add.fieldError('ownerId')}>
          {(p) => (
            <select {...p} value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
              <option value="">Choose the owner</option>
              {(staff.data?.items ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Due date" error={add.fieldError('dueOn')}>
          {(p) => <input {...p} type="date" value={dueOn} onChange={(e) => setDueOn(e.target.value)} />}
        </Field>
        <Field label="Priority" error={add.fieldError('priority')}>
          {(p) => (
            <select {...p} value={priority} onChange={(e) => setPriority(e.target.value as typeof priority)}>
              {ACTION_ITEM_PRIORITIES.map((x) => (
                <option key={x} value={x}>
                  {ACTION_ITEM_PRIORITY_LABELS[x]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-actions-inline">
          <Button tone="primary" type="submit" busy={add.busy} disabled={!title.trim()}>
            Add action item
          </Button>
        </div>
        {add.error && !add.hasFieldErrors ? <Banner tone="danger">{humanMessage(add.error)}</Banner> : null}
      </form>
    </div>
  );
}
