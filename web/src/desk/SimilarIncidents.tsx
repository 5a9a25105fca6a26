import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { humanMessage } from '../api/client';
import * as similarApi from '../api/endpoints/similar-incidents';
import type { TicketT } from '../api/types';
import { Banner, Button, Loading, When } from '../ui/kit';
import { RESOLUTION_LABEL } from '../ui/labels';

/** Resolution notes longer than this are shortened until the agent asks for the rest. */
const SHORT_NOTES = 160;

/**
 * "Similar past incidents" (issue 17, item 8): the five resolved or closed incidents whose title
 * and description read most like this one (same service counts a little), each with how it was
 * resolved, so an agent starts from what worked last time.
 */
export function SimilarIncidentsCard({ ticket }: { ticket: TicketT }) {
  const similar = useQuery({
    queryKey: ['tickets', 'similar', ticket.id, ticket.title, ticket.description, ticket.service?.id ?? null],
    queryFn: () => similarApi.forTicket(ticket.id),
  });
  return (
    <section className="card" aria-labelledby="similar-incidents-title" data-testid="similar-incidents">
      <h2 id="similar-incidents-title">Similar past incidents</h2>
      {similar.error ? <Banner tone="danger">{humanMessage(similar.error)}</Banner> : null}
      {!similar.data ? (
        similar.error ? null : (
          <Loading what="similar incidents" />
        )
      ) : similar.data.items.length === 0 ? (
        <p className="muted">No resolved incident reads like this one yet.</p>
      ) : (
        <ol className="plain-list similar-list" aria-label="Similar past incidents">
          {similar.data.items.map((s) => (
            <li key={s.id}>
              <div style={{ overflowWrap: 'anywhere' }}>
                <Link to={`/desk/tickets/${s.id}`}>{s.number}</Link> {s.title}
              </div>
              <div className="muted">
                {s.service ? `${s.service.name} · ` : ''}
                {s.resolutionCode ? `${RESOLUTION_LABEL[s.resolutionCode]} · ` : ''}
                {s.resolvedAt ? (
                  <>
                    resolved <When at={s.resolvedAt} /> ·{' '}
                  </>
                ) : null}
                <span title="TF-IDF cosine of title and description, plus a bonus for the same service">
                  {Math.round(s.score * 100)} % similar
                </span>
              </div>
              {s.resolutionNotes ? <Notes text={s.resolutionNotes} label={`${s.number} resolution notes`} /> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Notes({ text, label }: { text: string; label: string }) {
  const [open, setOpen] = useState(false);
  const long = text.length > SHORT_NOTES;
  const shown = open || !long ? text : `${text.slice(0, SHORT_NOTES).trimEnd()}…`;
  return (
    <div>
      <p style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}>{shown}</p>
      {long ? (
        <Button
          tone="ghost"
          aria-expanded={open}
          aria-label={open ? `Show less of ${label}` : `Show all of ${label}`}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Show less' : 'Show all'}
        </Button>
      ) : null}
    </div>
  );
}
