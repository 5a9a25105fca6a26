import { Link, useLocation } from 'react-router';
import { useTicketPages } from '../api/hooks';
import { Banner, EmptyState, Loading, PageHeader } from '../ui/kit';
import { KnownIssuesNow } from './KnownIssues';
import { TicketList } from './TicketList';

export function PortalHome() {
  const location = useLocation();
  const waiting = (location.state as { waitingFor?: string } | null)?.waitingFor;
  const open = useTicketPages({ requesterId: 'me', state: 'open', sort: '-updatedAt' });
  const done = useTicketPages({ requesterId: 'me', state: 'resolved,closed,cancelled', sort: '-updatedAt' });
  const openTickets = open.data?.pages.flatMap((p) => p.items) ?? [];
  const doneTickets = done.data?.pages.flatMap((p) => p.items).slice(0, 20) ?? [];
  return (
    <div className="stack">
      <PageHeader title="Help and my tickets" />
      {waiting && (
        <Banner tone="success" title="Thanks — nothing new was reported">
          You are following {waiting}. This page shows its updates.
        </Banner>
      )}
      <KnownIssuesNow />
      <div className="hero">
        <Link className="card" to="/portal/report">
          <h2>Report a problem</h2>
          <p className="muted">Something is broken or slow: tell us, and see at once whether it is already known.</p>
        </Link>
        <Link className="card" to="/portal/request">
          <h2>Request something</h2>
          <p className="muted">I need… access, a laptop, software, a new account.</p>
        </Link>
      </div>
      <section aria-labelledby="open-heading">
        <h2 id="open-heading">Open</h2>
        {open.isPending ? (
          <Loading what="your tickets" />
        ) : openTickets.length === 0 ? (
          <EmptyState title="Nothing open">When you report something, it appears here with its progress.</EmptyState>
        ) : (
          <TicketList tickets={openTickets} hrefOf={(t) => `/portal/tickets/${t.id}`} />
        )}
      </section>
      {doneTickets.length > 0 && (
        <section aria-labelledby="done-heading">
          <h2 id="done-heading">Resolved and closed</h2>
          <TicketList tickets={doneTickets} hrefOf={(t) => `/portal/tickets/${t.id}`} />
        </section>
      )}
    </div>
  );
}
