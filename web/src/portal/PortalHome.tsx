import { Link, useLocation } from 'react-router';
import { useFollowedTickets, useTicketPages } from '../api/hooks';
import { Banner, EmptyState, Loading, PageHeader, StateBadge, When } from '../ui/kit';
import { FollowButton, KnownIssuesNow } from './KnownIssues';
import { TicketList } from './TicketList';

export function PortalHome() {
  const location = useLocation();
  const following = (location.state as { following?: string } | null)?.following;
  const solvedBy = (location.state as { solvedBy?: string } | null)?.solvedBy;
  // A known error's workaround has no title of its own: the banner names it by its service.
  const solvedByWorkaround = (location.state as { solvedByWorkaround?: string | null } | null)?.solvedByWorkaround;
  const open = useTicketPages({ requesterId: 'me', state: 'open', sort: '-updatedAt' });
  const done = useTicketPages({ requesterId: 'me', state: 'resolved,closed,cancelled', sort: '-updatedAt' });
  const openTickets = open.data?.pages.flatMap((p) => p.items) ?? [];
  const doneTickets = done.data?.pages.flatMap((p) => p.items).slice(0, 20) ?? [];
  return (
    <div className="stack">
      <PageHeader title="Help and my tickets" />
      {following && (
        <Banner tone="success" title="Thanks — nothing new was reported">
          You follow {following}: we will let you know when the service desk posts an update, and when it is fixed.
        </Banner>
      )}
      {solvedBy && (
        <Banner tone="success" title="Glad that solved it — no ticket was filed">
          “{solvedBy}” helped. If the problem comes back, report it and we will pick it up.
        </Banner>
      )}
      {solvedByWorkaround !== undefined && (
        <Banner tone="success" title="Glad that solved it — no ticket was filed">
          The workaround for the known problem{solvedByWorkaround ? ` with ${solvedByWorkaround}` : ''} helped. If the problem comes back,
          report it and we will pick it up.
        </Banner>
      )}
      <KnownIssuesNow />
      <FollowedProblems />
      <div className="hero">
        <Link className="card" to="/portal/report">
          <h2>Report a problem</h2>
          <p className="muted">Something is broken or slow: tell us, and see at once whether it is already known.</p>
        </Link>
        <Link className="card" to="/portal/request">
          <h2>Request something</h2>
          <p className="muted">I need… access, a laptop, software, a new account.</p>
        </Link>
        <Link className="card" to="/portal/articles">
          <h2>Find an answer</h2>
          <p className="muted">Help articles from the service desk, by service and topic.</p>
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

/** Problems I follow (known issues I did not report): their state, and a way to stop following. */
function FollowedProblems() {
  const followed = useFollowedTickets();
  const items = followed.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="followed-heading">
      <h2 id="followed-heading">Problems you follow</h2>
      <ul className="plain-list">
        {items.map((t) => (
          <li key={t.id} className="known-issue">
            <div className="row">
              <span className="ticket-number">{t.number}</span>
              <strong>
                <Link to={`/portal/known-issues/${t.id}`}>{t.title}</Link>
              </strong>
              <StateBadge state={t.state} />
              <span className="spacer" />
              <FollowButton ticketId={t.id} number={t.number} />
            </div>
            <p className="muted">
              Following since <When at={t.since} />. You are told of the desk’s updates and of the fix.
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
