import { Link, useParams } from 'react-router';
import { humanMessage } from '../api/client';
import { useKnownIssue } from '../api/hooks';
import { Banner, Loading, PageHeader, PriorityBadge, StateBadge, When } from '../ui/kit';
import { RESOLUTION_LABEL } from '../ui/labels';
import { FollowButton, MeTooButton } from './KnownIssues';

/** `/portal/known-issues/:id`: a known problem as its followers read it. */
export function KnownIssuePage() {
  const { id = '' } = useParams();
  return <KnownIssueView id={id} />;
}

/**
 * A known problem, read-only: its state, the desk's public updates and the resolution. This is
 * what a follower opens from a notification or the portal; the ticket itself stays its reporter's.
 */
export function KnownIssueView({ id }: { id: string }) {
  const issue = useKnownIssue(id);
  if (issue.isPending) return <Loading what="the problem" />;
  if (issue.error)
    return (
      <div className="stack">
        <p>
          <Link to="/portal">← Portal</Link>
        </p>
        <Banner tone="danger" title="We cannot show this">
          {humanMessage(issue.error)}
        </Banner>
      </div>
    );
  const k = issue.data;
  return (
    <div className="stack">
      <p>
        <Link to="/portal">← Portal</Link>
      </p>
      <PageHeader
        title={
          <>
            <span className="ticket-number">{k.number}</span> {k.title}
          </>
        }
      >
        {!k.resolution && <MeTooButton ticketId={k.id} number={k.number} />}
        <FollowButton ticketId={k.id} number={k.number} />
      </PageHeader>
      <p className="row">
        <StateBadge state={k.state} />
        <PriorityBadge priority={k.priority} />
        <span className="muted">
          A known problem{k.service ? ` with ${k.service.name}` : ''} · reported <When at={k.openedAt} />
        </span>
      </p>
      {k.resolution && (
        <Banner tone="success" title="Fixed">
          <p>
            {RESOLUTION_LABEL[k.resolution.code]}
            {k.resolvedAt ? (
              <>
                {' '}
                · <When at={k.resolvedAt} />
              </>
            ) : null}
          </p>
          <p style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{k.resolution.notes}</p>
        </Banner>
      )}
      <section className="card" aria-labelledby="updates-heading">
        <h2 id="updates-heading">Updates from the service desk</h2>
        {k.updates.length === 0 ? (
          <p className="muted">No update yet. Following it, you are told of each one and of the fix.</p>
        ) : (
          <ol className="timeline">
            {[...k.updates].reverse().map((u) => (
              <li key={u.at} className="comment">
                <div className="entry-head">
                  <span className="who">Service desk</span>
                  <span className="muted">
                    <When at={u.at} />
                  </span>
                  {u.editedAt ? (
                    <span className="muted edited">
                      edited <When at={u.editedAt} />
                    </span>
                  ) : null}
                </div>
                <div className="entry-body">{u.body}</div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
