import { useTicketEmails } from '../api/ticket-hooks';
import { noteInWords, OutcomeBadge } from '../email/received';
import { formatSize } from '../ui/Attachments';
import { When } from '../ui/kit';

/**
 * The mails a ticket was made from or answered by, each with its original message exactly as
 * received (.eml), for the agent who needs the headers, the full quoted history or the HTML.
 * Keyed under the timeline (keys.ticket.emails), so a mailed reply that lands on the timeline
 * refreshes this too.
 */
export function TicketEmails({ ticketId }: { ticketId: string }) {
  const emails = useTicketEmails(ticketId);
  const items = emails.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="ticket-emails-title">
      <h2 id="ticket-emails-title">E-mails ({items.length})</h2>
      <ul className="plain-list ticket-emails">
        {items.map((e) => (
          <li key={e.id}>
            <div className="row">
              <span className="mono">{e.fromAddress ?? e.envelopeFrom ?? 'no sender'}</span>
              <When at={e.receivedAt} />
              {e.outcome !== 'ticket_created' && e.outcome !== 'comment_added' && <OutcomeBadge outcome={e.outcome} />}
            </div>
            <div className="inbound-subject">{e.subject || '(no subject)'}</div>
            {e.notes.length > 0 && (
              <ul className="plain-list muted inbound-notes">
                {e.notes.map((note) => (
                  <li key={note}>{noteInWords(note)}</li>
                ))}
              </ul>
            )}
            <a href={`/api/v1/tickets/${ticketId}/emails/${e.id}/raw`} download={`${e.id}.eml`}>
              Original message (.eml)<span className="visually-hidden"> of “{e.subject}”</span>
            </a>{' '}
            <span className="muted">{formatSize(e.size)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
