import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError, humanMessage } from '../api/client';
import * as majorApi from '../api/endpoints/major-incidents';
import * as ticketApi from '../api/endpoints/tickets';
import { useFeatures, useTicket, useTimeline } from '../api/hooks';
import { keys, ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { AddCommentIn, TicketT, TransitionIn } from '../api/types';
import { Attachments } from '../ui/Attachments';
import { Banner, Button, Field, Loading, PageHeader, PriorityBadge, StateBadge, When } from '../ui/kit';
import { RESOLUTION_LABEL } from '../ui/labels';
import { RateHandling } from '../ui/Satisfaction';
import { Timeline } from '../ui/Timeline';
import { KnownIssueView } from './KnownIssuePage';

/** A requester's view of their ticket: progress, the public conversation, and their moves. */
export function PortalTicket() {
  const { id = '' } = useParams();
  const location = useLocation();
  const ticket = useTicket(id);
  const timeline = useTimeline(id);
  const features = useFeatures();
  if (ticket.isPending) return <Loading what="the ticket" />;
  // Not their ticket: a known problem they follow (the link in its notifications) opens read-only.
  if (ticket.error instanceof ApiError && ticket.error.status === 404) return <KnownIssueView id={id} />;
  if (ticket.error) return <Banner tone="danger">{humanMessage(ticket.error)}</Banner>;
  const t = ticket.data;
  const { justReported, uploadError } = (location.state as { justReported?: boolean; uploadError?: string } | null) ?? {};
  return (
    <div className="stack">
      <p>
        <Link to="/portal">← My tickets</Link>
      </p>
      {justReported && (
        <Banner tone="success" title={`Thanks — your ticket is ${t.number}`}>
          {/* Only promise mail when this server sends it (and never while that is not yet known). */}
          {features.data?.emailOut
            ? 'We will keep you posted here and by e-mail.'
            : 'We will keep you posted here, on this page and in My tickets.'}
        </Banner>
      )}
      {uploadError && (
        <Banner tone="warning" title="A file was not attached">
          {uploadError}
        </Banner>
      )}
      <PageHeader
        title={
          <>
            <span className="ticket-number">{t.number}</span> {t.title}
          </>
        }
      />
      {(t.parentId || t.mergedIntoId) && <KnownProblemLink ticket={t} />}
      <div className="grid-2">
        <div className="stack">
          {t.state === 'resolved' && <ConfirmFix ticket={t} />}
          {t.state === 'closed' && <RateHandling ticketId={t.id} />}
          {t.description && (
            <section className="card">
              <h2>What you reported</h2>
              <p className="entry-body" style={{ whiteSpace: 'pre-wrap' }}>
                {t.description}
              </p>
            </section>
          )}
          <section className="card">
            <h2>Conversation</h2>
            {timeline.data ? <Timeline events={timeline.data.items} audience="requester" /> : <Loading what="the conversation" />}
          </section>
          {!['closed', 'cancelled'].includes(t.state) && <Reply ticket={t} />}
          <Attachments ticketId={t.id} canAdd={!['closed', 'cancelled'].includes(t.state)} />
        </div>
        <aside className="card">
          <dl className="facts">
            <dt>State</dt>
            <dd>
              <StateBadge state={t.state} />
            </dd>
            <dt>Priority</dt>
            <dd>
              <PriorityBadge priority={t.priority} />
            </dd>
            <dt>Service</dt>
            <dd>{t.service?.name ?? '—'}</dd>
            <dt>Team</dt>
            <dd>{t.team?.name ?? 'Not yet with a team'}</dd>
            <dt>Working on it</dt>
            <dd>{t.assignee?.name ?? 'Nobody yet'}</dd>
            <dt>Reported</dt>
            <dd>
              <When at={t.openedAt} />
            </dd>
            {t.resolutionCode && (
              <>
                <dt>Resolution</dt>
                <dd>{RESOLUTION_LABEL[t.resolutionCode]}</dd>
              </>
            )}
          </dl>
          {t.allowedMoves.includes('cancelled') && <Withdraw ticket={t} />}
        </aside>
      </div>
    </div>
  );
}

/** Their report is part of a known problem (a child of an incident) or was merged into another ticket: where to follow it. */
function KnownProblemLink({ ticket }: { ticket: TicketT }) {
  const links = useQuery({ queryKey: keys.ticket.links(ticket.id, ticket.version), queryFn: () => majorApi.links(ticket.id) });
  const l = links.data;
  const other = l?.mergedInto ?? l?.parent;
  if (!other) return null;
  // Only a global incident is readable by everyone; otherwise name it without a link.
  const name = other.scope === 'global' ? <Link to={`/portal/known-issues/${other.id}`}>{other.number}</Link> : other.number;
  return l?.mergedInto ? (
    <Banner tone="info" title={`Merged into ${other.number}`}>
      <p className="banner-text">
        This report describes the same problem as {name}, {other.title}. You follow it and will hear of its updates and its fix.
      </p>
    </Banner>
  ) : (
    <Banner tone="info" title={`A known problem: ${other.number}`}>
      <p className="banner-text">
        We are working on this as {name}, {other.title}. Your report will be resolved with it.
      </p>
    </Banner>
  );
}

/** A requester's move on their ticket; after a refusal too the ticket is read again (a 412 means it changed). */
function useMove(ticket: TicketT) {
  const mutation = useApiMutation({
    mutationFn: (body: TransitionIn) => ticketApi.transition(ticket.id, ticket.version, body),
    invalidates: ticketChanged(ticket.id),
    refreshOnError: true,
  });
  return { ...mutation, move: async (body: TransitionIn) => (await mutation.run(body)) !== undefined };
}

/** Resolved: the person who reported it says whether it works. */
function ConfirmFix({ ticket }: { ticket: TicketT }) {
  const { move, error, busy, fieldError } = useMove(ticket);
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <Banner tone="success" title="The service desk thinks this is fixed. Does it work for you?">
      {ticket.resolutionNotes && <p style={{ whiteSpace: 'pre-wrap' }}>{ticket.resolutionNotes}</p>}
      {error ? <p className="field-error">{humanMessage(error)}</p> : null}
      {!reopening ? (
        <div className="form-actions">
          <Button tone="primary" busy={busy} onClick={() => move({ to: 'closed' })}>
            Yes, it works — close it
          </Button>
          <Button onClick={() => setReopening(true)}>No, it is still broken</Button>
        </div>
      ) : (
        <form
          onSubmit={async (e: FormEvent) => {
            e.preventDefault();
            if (await move({ to: 'in_progress', reason })) setReopening(false);
          }}
        >
          <Field label="What is still wrong?" error={fieldError('reason')}>
            {(p) => <textarea {...p} value={reason} onChange={(e) => setReason(e.target.value)} required />}
          </Field>
          <div className="form-actions">
            <Button tone="primary" type="submit" busy={busy}>
              Reopen
            </Button>
            <Button onClick={() => setReopening(false)}>Back</Button>
          </div>
        </form>
      )}
    </Banner>
  );
}

function Withdraw({ ticket }: { ticket: TicketT }) {
  const { move, error, busy, fieldError, hasFieldErrors } = useMove(ticket);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  if (!asking)
    return (
      <p>
        <Button tone="ghost" onClick={() => setAsking(true)}>
          Withdraw this ticket…
        </Button>
      </p>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        move({ to: 'cancelled', reason });
      }}
    >
      <Field label="Why withdraw it?" error={fieldError('reason')}>
        {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} required />}
      </Field>
      {error && !hasFieldErrors ? <p className="field-error">{humanMessage(error)}</p> : null}
      <div className="form-actions">
        <Button tone="danger" type="submit" busy={busy}>
          Withdraw
        </Button>
        <Button onClick={() => setAsking(false)}>Keep it</Button>
      </div>
    </form>
  );
}

function Reply({ ticket }: { ticket: TicketT }) {
  const [body, setBody] = useState('');
  const reply = useApiMutation({
    mutationFn: (input: AddCommentIn) => ticketApi.comment(ticket.id, input),
    invalidates: ticketChanged(ticket.id),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await reply.run({ body, visibility: 'public' })) setBody('');
  };
  return (
    <form className="card" onSubmit={submit}>
      <Field label="Reply to the service desk" error={reply.error ? (reply.fieldError('body') ?? humanMessage(reply.error)) : undefined}>
        {(p) => <textarea {...p} value={body} onChange={(e) => setBody(e.target.value)} required />}
      </Field>
      <Button tone="primary" type="submit" busy={reply.busy} disabled={!body.trim()}>
        Send reply
      </Button>
    </form>
  );
}
