import { type FormEvent, useState } from 'react';
import { humanMessage } from '../api/client';
import * as onCallApi from '../api/endpoints/on-call';
import { keys, ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import { useAcknowledgePage, useEscalationPolicies } from '../api/on-call-hooks';
import { useTicketPagesOfOnCall } from '../api/ticket-hooks';
import type { CreatePageIn, MeT, PageOfTicketT as Page, TicketT } from '../api/types';
import { Banner, Button, ButtonLink, Field, When } from '../ui/kit';

export const PAGE_STATE_TEXT: Record<string, string> = {
  triggered: 'Paging…',
  acknowledged: 'Acknowledged',
  resolved: 'Ended',
  exhausted: 'Nobody acknowledged',
};

/** What acknowledging did, in words: the ticket became yours, or stays with its assignee. */
export function assignmentText(assignment: Page['assignment']): string {
  if (assignment?.outcome === 'assigned') return 'Acknowledged. The ticket is now assigned to you.';
  if (assignment?.outcome === 'already_assigned') return `Acknowledged. ${assignment.assigneeName} stays the assignee.`;
  return 'Acknowledged.';
}

/** A response-role page reaches the role's holder first; its policy's levels follow, numbered as in the policy. */
function stepLabel(page: Page, level: number): string {
  if (!page.personId) return `Level ${level + 1}`;
  return level === 0 ? 'The role holder' : `Level ${level} of ${page.policyName ?? 'the escalation policy'}`;
}

/** What paged: the policy, or a response role (its holder first, then the ticket's policy if any). */
function pageSource(page: Page): string {
  if (!page.personId) return page.policyName ?? 'Escalation policy';
  return page.policyName ? `Response role, then ${page.policyName}` : 'Response role';
}

/** Whom each step of a page reached, by name, level by level (and round by round when it repeated). */
export function PageSteps({ page }: { page: Page }) {
  const repeated = page.steps.some((s) => s.round > 0);
  return (
    <ul className="plain-list page-steps">
      {page.steps.map((s) => (
        <li key={`${s.round}:${s.level}`}>
          <span className="muted">
            {stepLabel(page, s.level)}
            {repeated ? `, round ${s.round + 1}` : ''}:
          </span>{' '}
          {s.people.length > 0 ? s.people.map((p) => p.name).join(', ') : 'nobody could be reached'}
        </li>
      ))}
    </ul>
  );
}

/**
 * At the top of the ticket, for a person this ticket is paging now: the card with its
 * Acknowledge button sits far down on a phone, so say it first and offer the one tap here.
 */
export function PagedBanner({ ticket, me }: { ticket: TicketT; me: MeT }) {
  const pages = useTicketPagesOfOnCall(ticket);
  const running = (pages.data?.items ?? []).find((p) => p.state === 'triggered' && p.recipients.some((r) => r.userId === me.id));
  if (!running) return null;
  return (
    <Banner
      tone="warning"
      title="You are paged for this ticket"
      action={
        <ButtonLink tone="primary" to={`/desk/pages/${running.id}`}>
          Acknowledge…
        </ButtonLink>
      }
    >
      {' '}
      Acknowledging stops the escalation{ticket.assignee ? '.' : ' and makes the ticket yours.'}
    </Banner>
  );
}

/** The ticket's pages: who was paged at which level, and acknowledging (which stops escalation). */
export function PagesPanel({ ticket, me }: { ticket: TicketT; me: MeT }) {
  const pages = useTicketPagesOfOnCall(ticket);
  const ack = useAcknowledgePage();
  const [notice, setNotice] = useState<Record<string, string>>({});
  const items = pages.data?.items ?? [];
  if (items.length === 0) return null;
  const acknowledge = async (page: Page) => {
    const acked = await ack.run({ pageId: page.id, ticketId: ticket.id });
    if (acked) setNotice((n) => ({ ...n, [page.id]: assignmentText(acked.assignment) }));
  };
  return (
    <section className="card" aria-labelledby="pages-title">
      <h2 id="pages-title">Pages</h2>
      {ack.error ? <p className="field-error">{humanMessage(ack.error)}</p> : null}
      <ul className="plain-list">
        {items.map((p) => (
          <li key={p.id} className="sla-item">
            <div className="row">
              <strong>{PAGE_STATE_TEXT[p.state] ?? p.state}</strong>
              <span className="muted">
                {pageSource(p)} · {p.triggeredByName ? `paged by ${p.triggeredByName}` : 'paged automatically'} · <When at={p.createdAt} />
              </span>
            </div>
            <p className="muted">{p.message}</p>
            <PageSteps page={p} />
            {p.acknowledgedByName && p.acknowledgedAt ? (
              <p>
                Acknowledged by {p.acknowledgedByName} <When at={p.acknowledgedAt} />
              </p>
            ) : null}
            {notice[p.id] ? <p role="status">{notice[p.id]}</p> : null}
            {p.state === 'triggered' && p.recipients.some((r) => r.userId === me.id) && (
              <Button tone="primary" onClick={() => acknowledge(p)}>
                Acknowledge
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Page whoever is on call for this ticket now: the team's policy by default, or a chosen one. */
export function PageForm({ ticket, onDone }: { ticket: TicketT; onDone: () => void }) {
  const policies = useEscalationPolicies();
  const [policyId, setPolicyId] = useState('');
  const [message, setMessage] = useState(`${ticket.number}: ${ticket.title}`);
  const page = useApiMutation({
    mutationFn: (body: CreatePageIn) => onCallApi.page(ticket.id, body),
    invalidates: [keys.pages.ofTicket(ticket.id), ...ticketChanged(ticket.id)],
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await page.run({ message, ...(policyId ? { escalationPolicyId: policyId } : {}) })) onDone();
  };
  const { error, fieldError } = page;
  return (
    <form onSubmit={submit}>
      <h2>Page on-call</h2>
      {error && !page.hasFieldErrors ? <p className="field-error">{humanMessage(error)}</p> : null}
      <Field
        label="Escalation policy"
        error={fieldError('escalationPolicyId')}
        hint="Default: the ticket’s team’s policy, else its service’s."
      >
        {(p) => (
          <select {...p} value={policyId} onChange={(e) => setPolicyId(e.target.value)}>
            <option value="">The team’s or service’s policy</option>
            {(policies.data?.items ?? []).map((pol) => (
              <option key={pol.id} value={pol.id}>
                {pol.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Message" error={fieldError('message')}>
        {(p) => <textarea {...p} value={message} onChange={(e) => setMessage(e.target.value)} required />}
      </Field>
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={page.busy}>
          Page now
        </Button>
        <Button onClick={onDone}>Back</Button>
      </div>
    </form>
  );
}
