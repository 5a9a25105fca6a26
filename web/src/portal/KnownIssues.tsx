import { Link } from 'react-router';
import { humanMessage } from '../api/client';
import * as majorApi from '../api/endpoints/major-incidents';
import { useFollow, useFollowedTickets, useKnownIssues } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { KnownIssueT } from '../api/types';
import { Banner, Button, StateBadge, When } from '../ui/kit';

/** Follow or stop following a ticket: followers are told of the desk's updates and of the fix. */
export function FollowButton({ ticketId, number }: { ticketId: string; number: string }) {
  const followed = useFollowedTickets();
  const follow = useFollow();
  const following = (followed.data?.items ?? []).some((t) => t.id === ticketId);
  return (
    <>
      {following && <span className="badge">Following</span>}
      <Button busy={follow.isPending} onClick={() => follow.mutate({ ticketId, follow: !following })}>
        {following ? 'Stop following' : 'Follow'}
        <span className="visually-hidden"> {number}</span>
      </Button>
      {follow.error && (
        <span role="alert" className="field-error">
          {humanMessage(follow.error)}
        </span>
      )}
    </>
  );
}

/**
 * "Me too": the person is affected by this known problem. They join it (the desk sees how many
 * people are affected) and follow it — no new ticket is made.
 */
export function MeTooButton({ ticketId, number }: { ticketId: string; number: string }) {
  const meToo = useApiMutation({
    mutationFn: () => majorApi.meToo(ticketId),
    invalidates: [keys.followed, keys.knownIssues.all],
  });
  if (meToo.data) {
    return (
      <span className="badge badge-success" role="status">
        Counted: you are one of {meToo.data.affectedCount} affected
      </span>
    );
  }
  return (
    <>
      <Button tone="primary" busy={meToo.busy} onClick={() => meToo.run()}>
        Me too<span className="visually-hidden">: I am affected by {number}</span>
      </Button>
      {meToo.error ? (
        <span role="alert" className="field-error">
          {humanMessage(meToo.error)}
        </span>
      ) : null}
    </>
  );
}

export function KnownIssueItem({ issue }: { issue: KnownIssueT }) {
  return (
    <li className="known-issue">
      <div className="row">
        <span className="ticket-number">{issue.number}</span>
        <strong>
          <Link to={`/portal/known-issues/${issue.id}`}>{issue.title}</Link>
        </strong>
        <StateBadge state={issue.state} />
        <span className="spacer" />
        <MeTooButton ticketId={issue.id} number={issue.number} />
        <FollowButton ticketId={issue.id} number={issue.number} />
      </div>
      <p className="muted">
        {issue.service?.name ?? 'No service'} · reported <When at={issue.openedAt} />
      </p>
      {issue.latestUpdate && (
        <p>
          <span className="muted">
            Latest update (<When at={issue.latestUpdate.at} />
            ):
          </span>{' '}
          {issue.latestUpdate.body}
          {issue.latestUpdate.editedAt ? (
            <span className="muted">
              {' '}
              (edited <When at={issue.latestUpdate.editedAt} />)
            </span>
          ) : null}
        </p>
      )}
    </li>
  );
}

/** "Is it just me?": what the desk already knows is broken, for everyone. */
export function KnownIssuesNow() {
  const issues = useKnownIssues();
  const items = issues.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Banner tone="warning" title={items.length === 1 ? 'A known problem right now' : `${items.length} known problems right now`}>
      <ul className="plain-list">
        {items.map((i) => (
          <KnownIssueItem key={i.id} issue={i} />
        ))}
      </ul>
    </Banner>
  );
}
