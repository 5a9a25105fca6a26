import { useEffect, useState } from 'react';
import { dependentsOf } from '../../../../core/service-graph';
import { useServices } from '../../api/hooks';
import type { TicketT } from '../../api/types';
import { useTicketLinks } from '../MajorIncidentPanel';
import { duration } from '../SlaPanel';

/**
 * The top of a major incident's page (the war room): how long since it was detected, what is
 * broken and what depends on it, how many reports and people it has. Role holders follow in the
 * response panels. The elapsed time moves on its own every 30 s.
 */
export function WarRoomSummary({ ticket }: { ticket: TicketT }) {
  const services = useServices();
  const links = useTicketLinks(ticket);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const all = services.data?.items ?? [];
  const edges = all.flatMap((s) => s.dependsOnIds.map((dependsOnId) => ({ serviceId: s.id, dependsOnId })));
  const nameOf = new Map(all.map((s) => [s.id, s.name]));
  const dependents = ticket.service ? dependentsOf(edges, ticket.service.id).map((id) => nameOf.get(id) ?? 'a service') : [];
  const ended = ticket.resolvedAt ?? ticket.closedAt;
  const elapsed = (ended ? new Date(ended).getTime() : now) - new Date(ticket.openedAt).getTime();
  const children = links.data?.childCount.all ?? 0;
  return (
    <section className="card war-room" aria-label="Major incident at a glance">
      <dl className="war-room-facts">
        <div>
          <dt>{ended ? 'Lasted' : 'Since detection'}</dt>
          <dd>{duration(Math.max(0, elapsed))}</dd>
        </div>
        <div>
          <dt>Service</dt>
          <dd>
            {ticket.service?.name ?? 'Not set'}
            {dependents.length > 0 && <span className="muted"> — and {dependents.join(', ')}, which depend on it</span>}
          </dd>
        </div>
        <div>
          <dt>Reports linked</dt>
          <dd>{children}</dd>
        </div>
        <div>
          <dt>People affected</dt>
          <dd>{ticket.affectedCount}</dd>
        </div>
      </dl>
    </section>
  );
}
