import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { humanMessage } from '../api/client';
import * as routingApi from '../api/endpoints/routing';
import * as ticketApi from '../api/endpoints/tickets';
import { useTicketAction } from '../api/ticket-hooks';
import type { TicketT } from '../api/types';
import { Banner, Button } from '../ui/kit';

const OPEN = ['new', 'assigned', 'in_progress', 'on_hold'];

/**
 * Who should take this ticket (issue 18): without a category, the learned router's best category;
 * without a team, its best team (the agent's choice is the router's feedback) — each with its
 * confidence, taken with one click; with a team but nobody assigned, "Assign fairly" gives it to
 * a member by the team's strategy and says why.
 */
export function RoutingCard({ ticket }: { ticket: TicketT }) {
  if (!OPEN.includes(ticket.state) || ticket.kind === 'problem' || ticket.kind === 'change') return null;
  return (
    <>
      {!ticket.category && <CategorySuggestion ticket={ticket} />}
      {!ticket.team ? <TeamSuggestion ticket={ticket} /> : !ticket.assignee ? <FairAssignment ticket={ticket} /> : null}
    </>
  );
}

/** The router's suggestions for this ticket's text (one request shared by the team and category cards). */
function useSuggestions(ticket: TicketT) {
  return useQuery({
    queryKey: ['routing', 'suggestion', ticket.id, ticket.title, ticket.description, ticket.service?.id ?? null],
    queryFn: () => routingApi.suggest({ title: ticket.title, description: ticket.description, serviceId: ticket.service?.id }),
  });
}

/** Without a category: the router's best one and its confidence, taken with one click. */
function CategorySuggestion({ ticket }: { ticket: TicketT }) {
  const suggestion = useSuggestions(ticket);
  const action = useTicketAction(ticket);
  const best = suggestion.data?.categories[0];
  // No model for categories (too little history with them): nothing to suggest.
  if (!best) return null;
  return (
    <section className="card stack" aria-labelledby="category-suggestion-title" data-testid="category-suggestion">
      <h2 id="category-suggestion-title">Suggested category</h2>
      <p>
        The learned router suggests <strong>{best.name}</strong> — {Math.round(best.confidence * 100)}% confident, from tickets like this
        one that the desk resolved.
      </p>
      {action.error ? <Banner tone="danger">{humanMessage(action.error)}</Banner> : null}
      <div>
        <Button
          tone="primary"
          busy={action.busy}
          onClick={() => void action.save((v) => ticketApi.update(ticket.id, v, { categoryId: best.id }))}
        >
          Set category {best.name}
        </Button>
      </div>
    </section>
  );
}

function TeamSuggestion({ ticket }: { ticket: TicketT }) {
  const suggestion = useSuggestions(ticket);
  const action = useTicketAction(ticket);
  const best = suggestion.data?.teams[0];
  // No model yet (or no team left that it knows): nothing to suggest.
  if (!best) return null;
  return (
    <section className="card stack" aria-labelledby="routing-suggestion-title" data-testid="routing-suggestion">
      <h2 id="routing-suggestion-title">Suggested team</h2>
      <p>
        The learned router suggests <strong>{best.name}</strong> — {Math.round(best.confidence * 100)}% confident, from tickets like this
        one that the desk resolved.
      </p>
      {action.error ? <Banner tone="danger">{humanMessage(action.error)}</Banner> : null}
      <div>
        <Button
          tone="primary"
          busy={action.busy}
          onClick={() => void action.save((v) => ticketApi.update(ticket.id, v, { teamId: best.id }))}
        >
          Send to {best.name}
        </Button>
      </div>
    </section>
  );
}

function FairAssignment({ ticket }: { ticket: TicketT }) {
  const action = useTicketAction(ticket);
  const [reason, setReason] = useState<string | null>(null);
  const assign = () =>
    action.save(async (v) => {
      const answer = await ticketApi.assignFairly(ticket.id, v);
      setReason(answer.assigneeId ? null : answer.reason);
      return answer.ticket;
    });
  return (
    <section className="card stack" aria-labelledby="fair-assignment-title">
      <h2 id="fair-assignment-title">Nobody assigned</h2>
      <p className="muted">Give it to a member of {ticket.team?.name} in turn, skipping people off shift or at their limit.</p>
      {action.error ? <Banner tone="danger">{humanMessage(action.error)}</Banner> : null}
      {reason ? <Banner tone="warning">Nobody could take it: {reason}</Banner> : null}
      <div>
        <Button busy={action.busy} onClick={() => void assign()}>
          Assign fairly
        </Button>
      </div>
    </section>
  );
}
