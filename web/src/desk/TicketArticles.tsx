import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { humanMessage } from '../api/client';
import * as kbApi from '../api/endpoints/knowledge';
import { useApiMutation } from '../api/mutation';
import type { TicketT } from '../api/types';
import { Highlighted } from '../knowledge/ArticleParts';
import { Banner, Button, Loading } from '../ui/kit';

/**
 * The knowledge base on the desk's ticket page (issue 17 items 6–7): published articles matching
 * the ticket's title, each with a button that puts its link into the reply; and, once the ticket
 * is resolved, a draft article started from its resolution.
 */
export function TicketArticles({ ticket, onInsert }: { ticket: TicketT; onInsert: (text: string) => void }) {
  const navigate = useNavigate();
  const suggested = useQuery({
    queryKey: ['articles', 'for-ticket', ticket.id, ticket.title],
    queryFn: () => kbApi.suggestedForTicket(ticket.id),
  });
  const draft = useApiMutation({
    mutationFn: () => kbApi.draftFromTicket(ticket.id),
    onSuccess: (a) => navigate(`/desk/knowledge/${a.id}`),
    invalidates: [['articles', 'list']],
  });
  const resolved = ticket.state === 'resolved' || ticket.state === 'closed';
  return (
    <section className="card" aria-labelledby="ticket-articles-title">
      <h2 id="ticket-articles-title">Knowledge base</h2>
      {suggested.error ? <Banner tone="danger">{humanMessage(suggested.error)}</Banner> : null}
      {!suggested.data ? (
        <Loading what="suggested articles" />
      ) : suggested.data.items.length === 0 ? (
        <p className="muted">No published article matches this ticket’s title.</p>
      ) : (
        <ul className="plain-list kb-list" aria-label="Suggested articles">
          {suggested.data.items.map((h) => (
            <li key={h.id}>
              <Link to={`/desk/knowledge/${h.id}`}>
                <Highlighted parts={h.titleParts} />
              </Link>
              {h.audience === 'everyone' ? (
                <div>
                  <Button tone="ghost" onClick={() => onInsert(`${h.title}: ${window.location.origin}/portal/articles/${h.id}`)}>
                    Insert link in reply
                  </Button>
                </div>
              ) : (
                <p className="muted">Staff only: not for replies.</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {resolved ? (
        <div className="form-actions">
          {draft.error ? <Banner tone="danger">{humanMessage(draft.error)}</Banner> : null}
          <Button busy={draft.busy} onClick={() => draft.run()}>
            Create article from resolution
          </Button>
        </div>
      ) : null}
    </section>
  );
}
