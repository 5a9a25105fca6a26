import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { humanMessage } from '../api/client';
import * as majorApi from '../api/endpoints/major-incidents';
import { keys, ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import { useTicketAction } from '../api/ticket-hooks';
import type { TicketT } from '../api/types';
import { count } from '../ui/format';
import { Banner, Button, Field, StateBadge, When } from '../ui/kit';

const isFinal = (t: TicketT) => t.state === 'closed' || t.state === 'cancelled';

export function useTicketLinks(ticket: TicketT) {
  return useQuery({ queryKey: keys.ticket.links(ticket.id, ticket.version), queryFn: () => majorApi.links(ticket.id) });
}

/**
 * The ticket page's "Major incident" card: the parent this ticket is a child of, the survivor it
 * was merged into, its children (with unlink), the people affected, and the desk's moves —
 * declare a major incident, change the scope with a reason, link children or this ticket to an
 * incident by number, merge it into another.
 */
export function MajorIncidentPanel({ ticket }: { ticket: TicketT }) {
  const links = useTicketLinks(ticket);
  const [form, setForm] = useState<null | 'declare' | 'scope' | 'children' | 'parent' | 'merge'>(null);
  const l = links.data;
  const incident = ticket.kind === 'incident';
  const open = !isFinal(ticket) && ticket.state !== 'resolved';
  const done = () => setForm(null);
  return (
    <section className="card major-panel" aria-labelledby={`major-${ticket.id}`}>
      <h2 id={`major-${ticket.id}`}>{ticket.majorSince ? 'Major incident' : 'Links and scope'}</h2>
      {ticket.majorSince && (
        <p className="major-since">
          <span className="badge badge-major">Major</span> since <When at={ticket.majorSince} />
        </p>
      )}
      {links.error ? <Banner tone="danger">{humanMessage(links.error)}</Banner> : null}
      <dl className="facts">
        {incident && (
          <>
            <dt>Scope</dt>
            <dd>{ticket.scope === 'global' ? 'Global (wide: many users or sites)' : 'Local (one site or few users)'}</dd>
            <dt>Affected people</dt>
            <dd data-testid="affected-count">
              {ticket.affectedCount === 0 ? 'None counted yet' : count(ticket.affectedCount, 'person', 'people')}
            </dd>
          </>
        )}
        <RelatedTicket label="Child of" ticket={l?.parent} />
        <RelatedTicket label="Merged into" ticket={l?.mergedInto} />
      </dl>
      {l && l.childCount.all > 0 && <Children ticket={ticket} items={l.children} total={l.childCount} />}
      {form === null && !isFinal(ticket) && (
        <div className="row wrap">
          {incident && open && !ticket.majorSince && (
            <Button tone="danger" onClick={() => setForm('declare')}>
              Declare major incident
            </Button>
          )}
          {incident && open && <Button onClick={() => setForm('scope')}>Change scope…</Button>}
          {incident && open && <Button onClick={() => setForm('children')}>Link tickets…</Button>}
          {!ticket.parentId && ticket.state !== 'resolved' && <Button onClick={() => setForm('parent')}>Link to incident…</Button>}
          {ticket.state !== 'resolved' && <Button onClick={() => setForm('merge')}>Merge into…</Button>}
        </div>
      )}
      {form === 'declare' && <DeclareForm ticket={ticket} onDone={done} />}
      {form === 'scope' && <ScopeForm ticket={ticket} onDone={done} />}
      {form === 'children' && <LinkChildrenForm ticket={ticket} onDone={done} />}
      {form === 'parent' && <LinkToIncidentForm ticketIds={[ticket.id]} onDone={done} what={ticket.number} />}
      {form === 'merge' && <MergeForm ticket={ticket} onDone={done} />}
    </section>
  );
}

type Links = NonNullable<ReturnType<typeof useTicketLinks>['data']>;

/** One fact naming another ticket (the parent, the survivor): its number as a link, and its title. */
function RelatedTicket({ label, ticket }: { label: string; ticket: Links['parent'] | undefined }) {
  if (!ticket) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <Link to={`/desk/tickets/${ticket.id}`}>{ticket.number}</Link> {ticket.title}
      </dd>
    </>
  );
}

function Children({ ticket, items, total }: { ticket: TicketT; items: Links['children']; total: { all: number; open: number } }) {
  const unlink = useTicketAction(ticket);
  return (
    <div className="children">
      <h3>
        Children: {total.all} ({total.open} open)
      </h3>
      {unlink.error ? <Banner tone="danger">{humanMessage(unlink.error)}</Banner> : null}
      <ul className="child-list">
        {items.map((c) => (
          <li key={c.id}>
            <Link to={`/desk/tickets/${c.id}`} className="ticket-number">
              {c.number}
            </Link>
            <span className="child-title">{c.title}</span>
            <span className="muted">{c.requester.name}</span>
            <StateBadge state={c.state} />
            {!isFinal(ticket) && (
              <Button
                tone="ghost"
                aria-label={`Unlink ${c.number}`}
                busy={unlink.busy}
                onClick={() => unlink.save((v) => majorApi.unlinkChild(ticket.id, c.id, v))}
              >
                Unlink
              </Button>
            )}
          </li>
        ))}
      </ul>
      {total.all > items.length && <p className="muted">The first {items.length} are shown.</p>}
    </div>
  );
}

function ReasonField({ value, onChange, error, label }: { value: string; onChange: (v: string) => void; error?: string; label: string }) {
  return (
    <Field label={label} error={error}>
      {(p) => <textarea {...p} value={value} onChange={(e) => onChange(e.target.value)} required rows={2} />}
    </Field>
  );
}

function DeclareForm({ ticket, onDone }: { ticket: TicketT; onDone: () => void }) {
  const action = useTicketAction(ticket);
  const [reason, setReason] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.save((v) => majorApi.declareMajor(ticket.id, v, reason))) onDone();
  };
  return (
    <form onSubmit={submit} className="stack">
      <p className="muted">A major incident is global: it is shown to everyone as a known problem, and the Technical Manager owns it.</p>
      <ReasonField label="Why is it major?" value={reason} onChange={setReason} error={action.fieldError('reason')} />
      {action.error && !action.hasFieldErrors ? <Banner tone="danger">{humanMessage(action.error)}</Banner> : null}
      <div className="form-actions">
        <Button tone="danger" type="submit" busy={action.busy}>
          Declare major incident
        </Button>
        <Button onClick={onDone}>Back</Button>
      </div>
    </form>
  );
}

function ScopeForm({ ticket, onDone }: { ticket: TicketT; onDone: () => void }) {
  const action = useTicketAction(ticket);
  const [scope, setScope] = useState<'local' | 'global'>(ticket.scope === 'local' ? 'global' : 'local');
  const [reason, setReason] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.save((v) => majorApi.changeScope(ticket.id, v, { scope, reason }))) onDone();
  };
  return (
    <form onSubmit={submit} className="stack">
      <Field label="Scope" error={action.fieldError('scope')} hint="Global makes it a major incident, owned by the Technical Manager.">
        {(p) => (
          <select {...p} value={scope} onChange={(e) => setScope(e.target.value as 'local' | 'global')}>
            <option value="local">Local: one site or few users</option>
            <option value="global">Global: wide, a major incident</option>
          </select>
        )}
      </Field>
      <ReasonField label="Reason" value={reason} onChange={setReason} error={action.fieldError('reason')} />
      {action.error && !action.hasFieldErrors ? <Banner tone="danger">{humanMessage(action.error)}</Banner> : null}
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={action.busy}>
          Change scope
        </Button>
        <Button onClick={onDone}>Back</Button>
      </div>
    </form>
  );
}

/** Numbers typed by a person: "INC0000042, INC0000043" or one per line. */
const numbersIn = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((n) => n.trim())
    .filter(Boolean);

function LinkChildrenForm({ ticket, onDone }: { ticket: TicketT; onDone: () => void }) {
  const [text, setText] = useState('');
  const link = useApiMutation({
    mutationFn: async (numbers: string[]) => {
      const found = await Promise.all(numbers.map((n) => majorApi.byNumber(n)));
      return majorApi.linkChildren(
        ticket.id,
        found.map((f) => f.id),
        ticket.version,
      );
    },
    invalidates: () => [...ticketChanged(ticket.id)],
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await link.run(numbersIn(text))) onDone();
  };
  return (
    <form onSubmit={submit} className="stack">
      <Field
        label="Tickets to link as children"
        hint="Their numbers, e.g. INC0000042, separated by spaces or commas."
        error={link.fieldError('ticketIds') ?? link.fieldError('number')}
      >
        {(p) => <input {...p} value={text} onChange={(e) => setText(e.target.value)} required />}
      </Field>
      {link.error && !link.hasFieldErrors ? <Banner tone="danger">{humanMessage(link.error)}</Banner> : null}
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={link.busy}>
          Link
        </Button>
        <Button onClick={onDone}>Back</Button>
      </div>
    </form>
  );
}

/** Links tickets (this one, or the desk list's selection) as children of an incident named by number. */
export function LinkToIncidentForm({ ticketIds, onDone, what }: { ticketIds: string[]; onDone: () => void; what: string }) {
  const [number, setNumber] = useState('');
  const link = useApiMutation({
    mutationFn: async (parentNumber: string) => {
      const parent = await majorApi.byNumber(parentNumber);
      await majorApi.linkChildren(parent.id, ticketIds);
      return parent;
    },
    invalidates: (parent) => [...ticketChanged(parent.id), ...ticketIds.flatMap((id) => ticketChanged(id))],
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await link.run(number)) onDone();
  };
  return (
    <form onSubmit={submit} className="stack link-to-incident">
      <Field
        label={`Link ${what} to incident`}
        hint="The incident's number, e.g. INC0000042. Each requester is told once that it is a known problem."
        error={link.fieldError('number') ?? link.fieldError('ticketIds') ?? link.fieldError('parent')}
      >
        {(p) => <input {...p} value={number} onChange={(e) => setNumber(e.target.value)} placeholder="INC…" required />}
      </Field>
      {link.error && !link.hasFieldErrors ? <Banner tone="danger">{humanMessage(link.error)}</Banner> : null}
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={link.busy}>
          Link
        </Button>
        <Button onClick={onDone}>Back</Button>
      </div>
    </form>
  );
}

function MergeForm({ ticket, onDone }: { ticket: TicketT; onDone: () => void }) {
  const action = useTicketAction(ticket);
  const [number, setNumber] = useState('');
  const [lookupError, setLookupError] = useState<string | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setLookupError(undefined);
    let intoId: string;
    try {
      intoId = (await majorApi.byNumber(number)).id;
    } catch (err) {
      setLookupError(humanMessage(err));
      return;
    }
    if (await action.save((v) => majorApi.merge(ticket.id, v, intoId))) onDone();
  };
  return (
    <form onSubmit={submit} className="stack">
      <Field
        label="Merge into"
        hint={`The number of the ticket that stays. ${ticket.number} closes as a duplicate; its requester follows the other.`}
        error={lookupError ?? action.fieldError('intoId') ?? action.fieldError('ticketId')}
      >
        {(p) => <input {...p} value={number} onChange={(e) => setNumber(e.target.value)} placeholder="INC…" required />}
      </Field>
      {action.error && !action.hasFieldErrors ? <Banner tone="danger">{humanMessage(action.error)}</Banner> : null}
      <div className="form-actions">
        <Button tone="danger" type="submit" busy={action.busy}>
          Merge
        </Button>
        <Button onClick={onDone}>Back</Button>
      </div>
    </form>
  );
}
