import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { humanMessage } from '../api/client';
import * as reviewApi from '../api/endpoints/reviews';
import { useMe } from '../api/hooks';
import type { MeT } from '../api/types';
import { Banner, EmptyState, Loading, PageHeader } from '../ui/kit';

/** "My action items" and, for managers, everyone's overdue ones (issue 17 item 2): each links to its incident's review. */
export default function ActionItems() {
  const me = useMe().data as MeT;
  const manager = me.role === 'manager' || me.role === 'admin';
  const mine = useQuery({ queryKey: ['action-items', 'mine'], queryFn: reviewApi.mine });
  const overdue = useQuery({ queryKey: ['action-items', 'overdue'], queryFn: reviewApi.overdue, enabled: manager });
  return (
    <div className="stack">
      <PageHeader title="Action items" />
      <section className="card" aria-labelledby="mine-title">
        <h2 id="mine-title">Mine</h2>
        <ItemList query={mine} empty="No open action item is yours." />
      </section>
      {manager && (
        <section className="card" aria-labelledby="overdue-title">
          <h2 id="overdue-title">Overdue (everyone’s)</h2>
          <ItemList query={overdue} empty="Nothing is overdue." />
        </section>
      )}
    </div>
  );
}

function ItemList({ query, empty }: { query: ReturnType<typeof useQuery<{ items: reviewApi.ActionItemT[] }>>; empty: string }) {
  if (query.error) return <Banner tone="danger">{humanMessage(query.error)}</Banner>;
  if (!query.data) return <Loading what="the action items" />;
  if (query.data.items.length === 0) return <EmptyState title={empty} />;
  return (
    <ul className="plain-list task-list">
      {query.data.items.map((a) => (
        <li key={a.id} className={`task ${a.overdue ? 'task-overdue' : ''}`}>
          <Link to={`/desk/tickets/${a.ticket.id}`}>{a.title}</Link>
          <p className="muted">
            {a.ticket.number} {a.ticket.title} · {a.owner.name} · due {a.dueOn} · {a.priorityLabel} priority
            {a.overdue ? (
              <>
                {' '}
                <span className="badge badge-overdue">Overdue</span>
              </>
            ) : null}
          </p>
        </li>
      ))}
    </ul>
  );
}
