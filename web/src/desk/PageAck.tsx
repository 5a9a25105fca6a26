import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { isManager } from '../../../core/permissions';
import { humanMessage } from '../api/client';
import { useMe } from '../api/hooks';
import { useAcknowledgePage, usePageDetail } from '../api/on-call-hooks';
import { Banner, Button, Loading, PriorityBadge, When } from '../ui/kit';
import { assignmentText, PAGE_STATE_TEXT, PageSteps } from './Pages';

/**
 * `/desk/pages/:pageId`, where a page's notification and e-mail lead: acknowledge first (one tap,
 * at the top of a phone's screen), then what is paged, who else was paged, and the full ticket.
 */
export default function PageAck() {
  const { pageId = '' } = useParams();
  const me = useMe().data;
  const detail = usePageDetail(pageId);
  const ack = useAcknowledgePage();
  const [done, setDone] = useState<string | null>(null);

  if (detail.isPending) return <Loading what="the page" />;
  if (detail.error) return <Banner tone="danger">{humanMessage(detail.error)}</Banner>;
  const { page, ticket } = detail.data;
  const wasPaged = page.recipients.some((r) => r.userId === me?.id);
  const mayAcknowledge = page.state === 'triggered' && (wasPaged || (me ? isManager(me) : false));

  const acknowledge = async () => {
    const acked = await ack.run({ pageId: page.id, ticketId: ticket.id });
    if (acked) setDone(assignmentText(acked.assignment));
  };

  return (
    <div className="stack page-ack">
      <header className="ticket-head">
        <p className="muted page-ack-state">
          {page.state === 'triggered' ? 'You are paged' : PAGE_STATE_TEXT[page.state]} · since <When at={page.createdAt} />
        </p>
        <div className="row">
          <span className="ticket-number">{ticket.number}</span>
          <PriorityBadge priority={ticket.priority} />
        </div>
        <h1>{ticket.title}</h1>
        <p className="muted">
          {ticket.serviceName ?? 'No service named'}
          {ticket.teamName ? ` · ${ticket.teamName}` : ''}
          {' · '}
          {ticket.assigneeName ? `assigned to ${ticket.assigneeName}` : 'nobody assigned yet'}
        </p>
      </header>
      {done ? (
        <Banner tone="success">{done}</Banner>
      ) : mayAcknowledge ? (
        <Button tone="primary" className="ack-big" busy={ack.busy} onClick={acknowledge}>
          Acknowledge
        </Button>
      ) : page.state === 'triggered' ? (
        <p className="muted">Only the people paged, or a manager, can acknowledge this page.</p>
      ) : page.acknowledgedByName && page.acknowledgedAt ? (
        <p>
          Acknowledged by {page.acknowledgedByName} <When at={page.acknowledgedAt} />.
        </p>
      ) : null}
      {ack.error ? (
        <p className="field-error" role="alert">
          {humanMessage(ack.error)}
        </p>
      ) : null}
      <p>
        <Link to={`/desk/tickets/${ticket.id}`}>Open the full ticket →</Link>
      </p>
      <section className="card" aria-labelledby="paged-title">
        <h2 id="paged-title">Who was paged</h2>
        <p className="muted">{page.message}</p>
        <PageSteps page={page} />
      </section>
    </div>
  );
}
