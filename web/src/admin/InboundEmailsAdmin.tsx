import { Link } from 'react-router';
import { useInboundEmails } from '../api/monitoring-hooks';
import { noteInWords, OutcomeBadge } from '../email/received';
import { formatSize } from '../ui/Attachments';
import { Button, EmptyState, Loading, PageHeader, When } from '../ui/kit';
import { ErrorNote } from './ErrorNote';

/**
 * Why a mail made no ticket: the latest mails that reached Firebreak, by the SMTP listener or
 * from the polled mailbox, with what each did and why, and the original to download. Subjects
 * and addresses are the senders' text: rendered as text only.
 */
export function InboundEmailsAdmin() {
  const emails = useInboundEmails();
  const items = emails.data?.items ?? [];
  return (
    <div className="stack">
      <PageHeader title="E-mail received">
        <Button onClick={() => emails.refetch()} busy={emails.isRefetching}>
          Refresh
        </Button>
      </PageHeader>
      <p className="muted">
        The latest 100 mails that reached Firebreak, newest first, with what each did. Automatic mail (auto-replies, bounces, mailing lists)
        is kept here and never makes a ticket or an answer.
      </p>
      <ErrorNote error={emails.error} />
      {emails.isPending ? (
        <Loading what="received mail" />
      ) : items.length === 0 ? (
        <EmptyState title="No mail received yet">
          Turn on the SMTP listener (FIREBREAK_SMTP_LISTEN_PORT) or polling a mailbox (FIREBREAK_IMAP_URL): the README shows both.
        </EmptyState>
      ) : (
        <table className="data card inbound-emails">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">From</th>
              <th scope="col">Subject and notes</th>
              <th scope="col">What it did</th>
              <th scope="col">Ticket</th>
              <th scope="col">Original</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>
                  <When at={e.receivedAt} />
                </td>
                <td className="mono">{e.fromAddress ?? e.envelopeFrom ?? 'no sender'}</td>
                <td>
                  <span className="inbound-subject">{e.subject || '(no subject)'}</span>
                  {e.notes.length > 0 && (
                    <ul className="plain-list muted inbound-notes">
                      {e.notes.map((note) => (
                        <li key={note}>{noteInWords(note)}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  <OutcomeBadge outcome={e.outcome} />
                </td>
                <td>{e.ticketId ? <Link to={`/desk/tickets/${e.ticketId}`}>{e.ticketNumber ?? 'the ticket'}</Link> : '—'}</td>
                <td>
                  <a href={`/api/v1/inbound-emails/${e.id}/raw`} download={`${e.id}.eml`}>
                    .eml<span className="visually-hidden"> of “{e.subject}”</span>
                  </a>{' '}
                  <span className="muted">{formatSize(e.size)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
