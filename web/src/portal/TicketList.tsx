import { Link } from 'react-router';
import type { TicketT } from '../api/types';
import { PriorityBadge, StateBadge, When } from '../ui/kit';

export function TicketList({ tickets, hrefOf }: { tickets: TicketT[]; hrefOf: (t: TicketT) => string }) {
  return (
    <ul className="ticket-list card" style={{ padding: 0 }}>
      {tickets.map((t) => (
        <li key={t.id}>
          <Link className="ticket-row" to={hrefOf(t)}>
            <span className="ticket-number">{t.number}</span>
            <span className="title">{t.title}</span>
            <span className="row">
              <StateBadge state={t.state} />
            </span>
            <span className="meta">
              <PriorityBadge priority={t.priority} />
              <span>{t.service?.name ?? 'No service'}</span>
              <span>{t.team ? `Team: ${t.team.name}` : 'Not yet with a team'}</span>
              <span>
                Updated <When at={t.updatedAt} />
              </span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
