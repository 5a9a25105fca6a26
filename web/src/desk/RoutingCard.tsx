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
      {!ticket.category && <Suggestion ticket={ticket} of="category" />}
      {!ticket.team ? <Suggestion ticket={ticket} of="team" /> : !ticket.assignee ? <FairAssignment ticket={ticket} /> : null}
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

/** What the router may suggest, and how its card reads and what taking it changes. */
const SUGGESTED = {
  category: {
    title: 'Suggested category',
    testId: 'category-suggestion',
    take: (name: string) => `Set category ${name}`,
    patch: (id: string) => ({ categoryId: id }),
  },
  team: {
    title: 'Suggested team',
    testId: 'routing-suggestion',
    take: (name: string) => `Send to ${name}`,
    patch: (id: string) => ({ teamId: id }),
  },
} as const;

/**
 * The router's best category or team for the ticket and its confidence, taken with one click.
 * No model for it yet (too little history, or nothing it knows left): nothing to suggest.
 */
function Suggestion({ ticket, of }: { ticket: TicketT; of: keyof typeof SUGGESTED }) {
  const suggestion = useSuggestions(ticket);
  const action = useTicketAction(ticket);
  const best = (of === 'team' ? suggestion.data?.teams : suggestion.data?.categories)?.[0];
  if (!best) return null;
  const card = SUGGESTED[of];
  const titleId = `${card.testId}-title`;
  return (
    <section className="card stack" aria-labelledby={titleId} data-testid={card.testId}>
      <h2 id={titleId}>{card.title}</h2>
      <p>
        The learned router suggests <strong>{best.name}</strong> — {Math.round(best.confidence * 100)}% confident, from tickets like this
        one that the desk resolved.
      </p>
      {action.error ? <Banner tone="danger">{humanMessage(action.error)}</Banner> : null}
      <div>
        <Button
          tone="primary"
          busy={action.busy}
          onClick={() => void action.save((v) => ticketApi.update(ticket.id, v, card.patch(best.id)))}
        >
          {card.take(best.name)}
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
