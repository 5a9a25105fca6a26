import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { humanMessage } from '../api/client';
import * as ticketApi from '../api/endpoints/tickets';
import { invalidateTicket } from '../api/hooks';
import { keys } from '../api/keys';
import { useTicketAction } from '../api/ticket-hooks';
import type { MeT, TicketT, TransitionIn } from '../api/types';
import { Banner, Button, When } from '../ui/kit';
import { useShortcuts } from '../ui/useShortcuts';
import type { ActionFormProps } from './actions/action-form';
import { EditFields } from './actions/EditFields';
import { EscalateForm } from './actions/EscalateForm';
import { HoldForm } from './actions/HoldForm';
import { CancelForm, ReopenForm } from './actions/ReasonMoveForm';
import { ResolveForm } from './actions/ResolveForm';
import { PageForm } from './Pages';
import { PromoteForm } from './TicketAlerts';

type Panel = null | 'hold' | 'resolve' | 'cancel' | 'reopen' | 'escalate' | 'edit' | 'page' | 'promote';

/**
 * The ticket's action bar and the form of the action chosen. All of them write through one
 * ticket action, so a conflict (someone else changed the ticket) shows once, above the actions,
 * with a way to reload and send the kept form again.
 */
export function TicketWork({ ticket, me }: { ticket: TicketT; me: MeT }) {
  const client = useQueryClient();
  const action = useTicketAction(ticket);
  const [panel, setPanel] = useState<Panel>(null);
  // Forms act on the version the person saw when they opened them, even if a live update
  // refreshed the page since: a change by someone else then gives a conflict, not an overwrite.
  const [baseVersion, setBaseVersion] = useState(ticket.version);
  const open = (p: Panel) => {
    action.reset();
    setBaseVersion(ticket.version);
    setPanel(p);
  };
  const moves = ticket.allowedMoves;
  const isOpen = !['resolved', 'closed', 'cancelled'].includes(ticket.state);
  const assignToMe = () => action.save((v) => ticketApi.update(ticket.id, v, { assigneeId: me.id }));
  const move = (body: TransitionIn) => action.save((v) => ticketApi.transition(ticket.id, v, body));
  const colleague = ticket.assignee && ticket.assignee.id !== me.id ? ticket.assignee : null;

  // Keyboard: a = assign to me, e = edit fields (r and n live in the composer). A key press
  // never takes a colleague's ticket without asking.
  useShortcuts((e) => {
    if (e.key === 'a' && isOpen && ticket.assignee?.id !== me.id) {
      if (!colleague || window.confirm(`${ticket.number} is assigned to ${colleague.name}. Take it over?`)) assignToMe();
    }
    if (e.key === 'e') open('edit');
  });

  return (
    <section aria-label="Actions">
      {action.conflict && (
        <Banner
          tone="warning"
          title="Someone else changed this ticket"
          action={
            <Button
              tone="primary"
              onClick={async () => {
                // The next save is made against the version just read, not the one on screen before.
                // Read directly: a live update arriving meanwhile would cancel a cache refetch and
                // leave the old version in the cache, so the next save would conflict again.
                const fresh = await ticketApi.get(ticket.id);
                client.setQueryData(keys.ticket.row(ticket.id), fresh);
                invalidateTicket(client, ticket.id);
                setBaseVersion(fresh.version);
                action.reset();
              }}
            >
              Reload it
            </Button>
          }
        >
          <p>{action.conflict.detail} Your form is kept: reload, check, and send again.</p>
        </Banner>
      )}
      {ticket.pageHeldSince && isOpen && (
        <Banner
          tone="warning"
          title="Not paged yet: waiting for a staff member to confirm the priority"
          action={
            <Button tone="primary" busy={action.busy} onClick={() => action.save((v) => ticketApi.confirmPriority(ticket.id, v))}>
              Confirm P{ticket.priority} and page on-call
            </Button>
          }
        >
          <p>
            The requester’s answers made this P{ticket.priority} <When at={ticket.pageHeldSince} />. Confirm it to page on-call now, or
            change the impact or urgency under “Edit fields…”.
          </p>
        </Banner>
      )}
      {action.error && !action.conflict && !action.hasFieldErrors ? <Banner tone="danger">{humanMessage(action.error)}</Banner> : null}
      <div className="actions">
        {isOpen && ticket.assignee?.id !== me.id && (
          <Button tone="primary" onClick={assignToMe} busy={action.busy} title="Shortcut: a">
            {colleague ? `Take over from ${colleague.name}` : 'Assign to me'}
          </Button>
        )}
        {moves.includes('in_progress') && ticket.state !== 'resolved' && (
          <Button onClick={() => move({ to: 'in_progress' })} busy={action.busy}>
            {ticket.state === 'on_hold' ? 'Resume work' : 'Start work'}
          </Button>
        )}
        {moves.includes('on_hold') && (
          <Button onClick={() => open('hold')}>{ticket.state === 'on_hold' ? 'Change what it waits for…' : 'Put on hold…'}</Button>
        )}
        {moves.includes('resolved') && (
          <Button tone="primary" onClick={() => open('resolve')}>
            Resolve…
          </Button>
        )}
        {moves.includes('closed') && <Button onClick={() => move({ to: 'closed' })}>Close</Button>}
        {ticket.state === 'resolved' && moves.includes('in_progress') && <Button onClick={() => open('reopen')}>Reopen…</Button>}
        {/* A change is planned work with its own approval: escalating or paging on-call means nothing for it. */}
        {isOpen && ticket.kind !== 'change' && <Button onClick={() => open('escalate')}>Escalate…</Button>}
        {isOpen && ticket.kind !== 'change' && <Button onClick={() => open('page')}>Page on-call…</Button>}
        {isOpen && ticket.kind === 'disturbance' && <Button onClick={() => open('promote')}>Promote to incident…</Button>}
        <Button onClick={() => open('edit')} title="Shortcut: e">
          Edit fields…
        </Button>
        {moves.includes('cancelled') && (
          <Button tone="danger" onClick={() => open('cancel')}>
            Cancel ticket…
          </Button>
        )}
      </div>
      {panel && (
        <div className="card">
          <ActionForm panel={panel} ticket={ticket} action={action} baseVersion={baseVersion} onDone={() => setPanel(null)} />
        </div>
      )}
    </section>
  );
}

/** One component per action; paging and promoting make their own writes (not to the ticket row). */
function ActionForm({ panel, ...props }: ActionFormProps & { panel: Exclude<Panel, null> }) {
  switch (panel) {
    case 'hold':
      return <HoldForm {...props} />;
    case 'resolve':
      return <ResolveForm {...props} />;
    case 'cancel':
      return <CancelForm {...props} />;
    case 'reopen':
      return <ReopenForm {...props} />;
    case 'escalate':
      return <EscalateForm {...props} />;
    case 'edit':
      return <EditFields {...props} />;
    case 'page':
      return <PageForm ticket={props.ticket} onDone={props.onDone} />;
    case 'promote':
      return <PromoteForm ticket={props.ticket} onDone={props.onDone} />;
  }
}
