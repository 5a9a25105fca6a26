import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ON_HOLD_REASONS, RESOLUTION_CODES } from '../../../core/vocabulary';
import { ApiError, humanMessage } from '../api/client';
import {
  invalidateTicket,
  keys,
  useCategories,
  useMe,
  useServices,
  useStaff,
  useTeams,
  useTicket,
  useTimeline,
  useUsers,
} from '../api/hooks';
import type { MeT, TicketT } from '../api/types';
import { Attachments } from '../ui/Attachments';
import { Banner, Button, Field, IdSelect, Loading, PriorityBadge, StateBadge, When } from '../ui/kit';
import { CHANNEL_LABEL, IMPACT_LABEL, ON_HOLD_LABEL, PRIORITY_LABEL, RESOLUTION_LABEL, URGENCY_LABEL } from '../ui/labels';
import { Timeline } from '../ui/Timeline';
import { useShortcuts } from '../ui/useShortcuts';
import { Composer } from './Composer';
import { PagedBanner, PageForm, PagesPanel } from './Pages';
import { PersonPicker } from './PersonPicker';
import { backToQueue } from './queues';
import { SlaPanel } from './SlaPanel';
import { PromoteForm, TicketAlerts } from './TicketAlerts';
import { TicketEmails } from './TicketEmails';
import { useTicketAction } from './useTicketAction';

type Panel = null | 'hold' | 'resolve' | 'cancel' | 'reopen' | 'escalate' | 'edit' | 'page' | 'promote';

/** The agent's ticket page: everything from first look to resolution without leaving it. */
export default function DeskTicket() {
  const { id = '' } = useParams();
  const me = useMe().data as MeT;
  const ticket = useTicket(id);
  const location = useLocation();
  // Set by the desk's new-ticket form when a file it sent after the ticket was refused.
  const uploadError = (location.state as { uploadError?: string } | null)?.uploadError;
  const back = backToQueue(location.state);
  const timeline = useTimeline(id);
  const teams = useTeams();
  const users = useUsers({ active: 'true' });
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const t of teams.data?.items ?? []) m.set(t.id, t.name);
    for (const u of users.data?.items ?? []) m.set(u.id, u.name);
    return m;
  }, [teams.data, users.data]);

  if (ticket.isPending) return <Loading what="the ticket" />;
  if (ticket.error) return <Banner tone="danger">{humanMessage(ticket.error)}</Banner>;
  const t = ticket.data;
  return (
    <div className="stack">
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
      <header className="ticket-head">
        <div className="row">
          <span className="ticket-number">{t.number}</span>
          <StateBadge state={t.state} />
          <PriorityBadge priority={t.priority} />
          <span className="muted">
            {t.kind === 'incident' ? 'Incident' : t.kind === 'disturbance' ? 'Disturbance (from monitoring)' : 'Service request'}
            {t.scope === 'global' ? ' · global (major)' : ''}
            {t.escalationLevel > 0 ? ` · escalation level ${t.escalationLevel}` : ''}
          </span>
        </div>
        <h1>{t.title}</h1>
        <p className="muted">
          Reported by {t.requester?.name ?? 'someone'} via {CHANNEL_LABEL[t.channel]} · <When at={t.openedAt} />
        </p>
      </header>
      <PagedBanner ticket={t} me={me} />
      {uploadError ? (
        <Banner tone="warning" title="The ticket was logged, but a file was refused">
          {uploadError} Attach it again below.
        </Banner>
      ) : null}
      <TicketWork ticket={t} me={me} />
      <div className="grid-2">
        <div className="stack">
          {t.description && (
            <section className="card">
              <h2>Description</h2>
              <p style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}>{t.description}</p>
            </section>
          )}
          <Composer ticket={t} />
          <TicketAlerts ticket={t} />
          <section className="card">
            <h2>Timeline</h2>
            {timeline.data ? <Timeline events={[...timeline.data.items].reverse()} names={names} /> : <Loading what="the timeline" />}
          </section>
        </div>
        <div className="stack">
          <Facts ticket={t} />
          <PagesPanel ticket={t} me={me} />
          <SlaPanel ticketId={t.id} version={t.version} />
          <Attachments ticketId={t.id} canAdd={!['closed', 'cancelled'].includes(t.state)} />
          <TicketEmails ticketId={t.id} />
        </div>
      </div>
    </div>
  );
}

function TicketWork({ ticket, me }: { ticket: TicketT; me: MeT }) {
  const client = useQueryClient();
  const action = useTicketAction(ticket);
  const [panel, setPanel] = useState<Panel>(null);
  // Forms act on the version the person saw when they opened them, even if a live update
  // refreshed the page since: a change by someone else then gives a conflict, not an overwrite.
  const [baseVersion, setBaseVersion] = useState(ticket.version);
  const open = (p: Panel) => {
    action.clearError();
    setBaseVersion(ticket.version);
    setPanel(p);
  };
  const moves = ticket.allowedMoves;
  const isOpen = !['resolved', 'closed', 'cancelled'].includes(ticket.state);
  const assignToMe = () => action.run('PATCH', '', { assigneeId: me.id });
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
                invalidateTicket(client, ticket.id);
                await client.refetchQueries({ queryKey: keys.ticket(ticket.id) });
                setBaseVersion(client.getQueryData<TicketT>(keys.ticket(ticket.id))?.version ?? ticket.version);
                action.clearError();
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
            <Button tone="primary" busy={action.busy} onClick={() => action.run('POST', '/confirm-priority', undefined)}>
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
      {action.error && !action.conflict && !(action.error instanceof ApiError && action.error.fieldErrors.length) ? (
        <Banner tone="danger">{humanMessage(action.error)}</Banner>
      ) : null}
      <div className="actions">
        {isOpen && ticket.assignee?.id !== me.id && (
          <Button tone="primary" onClick={assignToMe} busy={action.busy} title="Shortcut: a">
            {colleague ? `Take over from ${colleague.name}` : 'Assign to me'}
          </Button>
        )}
        {moves.includes('in_progress') && ticket.state !== 'resolved' && (
          <Button onClick={() => action.run('POST', '/transitions', { to: 'in_progress' })} busy={action.busy}>
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
        {moves.includes('closed') && <Button onClick={() => action.run('POST', '/transitions', { to: 'closed' })}>Close</Button>}
        {ticket.state === 'resolved' && moves.includes('in_progress') && <Button onClick={() => open('reopen')}>Reopen…</Button>}
        {isOpen && <Button onClick={() => open('escalate')}>Escalate…</Button>}
        {isOpen && <Button onClick={() => open('page')}>Page on-call…</Button>}
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
          <ActionPanel panel={panel} ticket={ticket} action={action} baseVersion={baseVersion} onDone={() => setPanel(null)} />
        </div>
      )}
    </section>
  );
}

function ActionPanel({
  panel,
  ticket,
  action,
  baseVersion,
  onDone,
}: {
  panel: Exclude<Panel, null>;
  ticket: TicketT;
  action: ReturnType<typeof useTicketAction>;
  baseVersion: number;
  onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  // Already on hold: the form changes what it waits for, so it starts on another reason.
  const [holdReason, setHoldReason] = useState<string>(
    ON_HOLD_REASONS.find((r) => r !== (ticket.state === 'on_hold' ? ticket.onHoldReason : null)) ?? 'awaiting_requester',
  );
  const [code, setCode] = useState<string>('solved_permanently');
  const [notes, setNotes] = useState('');
  const [escalation, setEscalation] = useState({ kind: 'functional', toTeamId: '' });
  const teams = useTeams();
  const fieldError = (name: string) => (action.error instanceof ApiError ? action.error.field(name) : undefined);
  const submit = async (method: string, path: string, body: unknown) => {
    if (await action.run(method, path, body, baseVersion)) onDone();
  };
  const buttons = (label: string) => (
    <div className="form-actions">
      <Button tone="primary" type="submit" busy={action.busy}>
        {label}
      </Button>
      <Button onClick={onDone}>Back</Button>
    </div>
  );
  if (panel === 'page') return <PageForm ticket={ticket} onDone={onDone} />;
  if (panel === 'promote') return <PromoteForm ticket={ticket} onDone={onDone} />;
  if (panel === 'edit') return <EditFields ticket={ticket} action={action} baseVersion={baseVersion} onDone={onDone} />;
  if (panel === 'hold')
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit('POST', '/transitions', { to: 'on_hold', onHoldReason: holdReason, reason: reason || undefined });
        }}
      >
        <h2>{ticket.state === 'on_hold' ? 'Change what it waits for' : 'Put on hold'}</h2>
        <Field
          label="Waiting for"
          error={fieldError('onHoldReason')}
          hint="Waiting for the requester pauses the SLA clock where the policy says so."
        >
          {(p) => (
            <select {...p} value={holdReason} onChange={(e) => setHoldReason(e.target.value)}>
              {ON_HOLD_REASONS.map((r) => (
                <option key={r} value={r}>
                  {ON_HOLD_LABEL[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Note (optional)" error={fieldError('reason')}>
          {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        {buttons(ticket.state === 'on_hold' ? 'Save' : 'Put on hold')}
      </form>
    );
  if (panel === 'resolve')
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit('POST', '/transitions', { to: 'resolved', resolutionCode: code, resolutionNotes: notes });
        }}
      >
        <h2>Resolve</h2>
        <Field label="Resolution" error={fieldError('resolutionCode')}>
          {(p) => (
            <select {...p} value={code} onChange={(e) => setCode(e.target.value)}>
              {RESOLUTION_CODES.map((r) => (
                <option key={r} value={r}>
                  {RESOLUTION_LABEL[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="What was done" hint="The requester sees this and is asked to confirm the fix." error={fieldError('resolutionNotes')}>
          {(p) => <textarea {...p} value={notes} onChange={(e) => setNotes(e.target.value)} required />}
        </Field>
        {buttons('Resolve')}
      </form>
    );
  if (panel === 'cancel' || panel === 'reopen')
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit('POST', '/transitions', { to: panel === 'cancel' ? 'cancelled' : 'in_progress', reason });
        }}
      >
        <h2>{panel === 'cancel' ? 'Cancel the ticket' : 'Reopen the ticket'}</h2>
        <Field label="Reason" error={fieldError('reason')}>
          {(p) => <textarea {...p} value={reason} onChange={(e) => setReason(e.target.value)} required />}
        </Field>
        {buttons(panel === 'cancel' ? 'Cancel ticket' : 'Reopen')}
      </form>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit('POST', '/escalations', {
          kind: escalation.kind,
          reason,
          ...(escalation.toTeamId ? { toTeamId: escalation.toTeamId } : {}),
        });
      }}
    >
      <h2>Escalate</h2>
      <Field label="Kind" error={fieldError('kind')}>
        {(p) => (
          <select {...p} value={escalation.kind} onChange={(e) => setEscalation({ ...escalation, kind: e.target.value })}>
            <option value="functional">Functional — to a more skilled team</option>
            <option value="hierarchical">Hierarchical — to the team manager’s attention</option>
          </select>
        )}
      </Field>
      {escalation.kind === 'functional' && (
        <Field label="To team" error={fieldError('toTeamId')}>
          {(p) => (
            <select {...p} value={escalation.toTeamId} onChange={(e) => setEscalation({ ...escalation, toTeamId: e.target.value })}>
              <option value="">Choose a team</option>
              {(teams.data?.items ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label="Reason" error={fieldError('reason')}>
        {(p) => <textarea {...p} value={reason} onChange={(e) => setReason(e.target.value)} required />}
      </Field>
      {buttons('Escalate')}
    </form>
  );
}

function EditFields({
  ticket,
  action,
  baseVersion,
  onDone,
}: {
  ticket: TicketT;
  action: ReturnType<typeof useTicketAction>;
  baseVersion: number;
  onDone: () => void;
}) {
  const teams = useTeams();
  const services = useServices();
  const categories = useCategories();
  const users = useStaff();
  // The form sends only what the person changed. Fields they did not touch follow the ticket as
  // it is now, so a reload after a conflict shows the colleague's values and saving keeps them.
  const current = formValuesOf(ticket);
  // What changed under the person (opened → current) stays listed after "Reload it", until they save.
  const [opened] = useState(current);
  const [edits, setEdits] = useState<Partial<FormValues>>({});
  const form: FormValues = { ...current, ...edits };
  const set = (k: keyof FormValues) => (e: { target: { value: string } }) => {
    const next: Partial<FormValues> = { ...edits, [k]: e.target.value };
    // Another team: an assignee who is not in it goes (the server clears them too); the list shows whom to pick.
    if (k === 'teamId' && !('assigneeId' in edits) && current.assigneeId) {
      const newTeam = teams.data?.items.find((t) => t.id === e.target.value);
      if (newTeam && !newTeam.memberIds.includes(current.assigneeId)) next.assigneeId = '';
    }
    setEdits(next);
  };
  const team = teams.data?.items.find((t) => t.id === form.teamId);
  const staff = users.data?.items ?? [];
  const assignable = team ? staff.filter((u) => team.memberIds.includes(u.id) || u.id === form.assigneeId) : staff;
  const fieldError = (name: string) => (action.error instanceof ApiError ? action.error.field(name) : undefined);
  const namesOf = (k: keyof FormValues, v: string) =>
    describeValue(k, v, { teams: teams.data?.items, staff, services: services.data?.items, categories: categories.data?.items });
  const changedUnder = (Object.keys(current) as (keyof FormValues)[]).filter((k) => k !== 'overrideReason' && opened[k] !== current[k]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const patch: Record<string, unknown> = {};
    const orNull = (v: string) => v || null;
    const changed = (k: keyof FormValues) => k in edits && edits[k] !== current[k];
    if (changed('teamId')) patch.teamId = orNull(form.teamId);
    if (changed('assigneeId')) patch.assigneeId = orNull(form.assigneeId);
    if (changed('serviceId')) patch.serviceId = orNull(form.serviceId);
    if (changed('categoryId')) patch.categoryId = orNull(form.categoryId);
    if (changed('impact')) patch.impact = Number(form.impact);
    if (changed('urgency')) patch.urgency = Number(form.urgency);
    if (changed('scope')) patch.scope = form.scope;
    if (changed('override') || (form.override && changed('overrideReason'))) {
      patch.priorityOverride = form.override ? { priority: Number(form.override), reason: form.overrideReason } : null;
    }
    if (Object.keys(patch).length === 0) return onDone();
    if (await action.run('PATCH', '', patch, baseVersion)) onDone();
  };

  const select = (label: string, key: keyof FormValues, options: { id: string; name: string }[], none: string) => (
    <IdSelect label={label} value={form[key]} onChange={set(key)} options={options} none={none} error={fieldError(key)} />
  );
  return (
    <form onSubmit={submit}>
      <h2>Edit fields</h2>
      {changedUnder.length > 0 && (
        <div className="card" role="status" aria-label="Changed while you were editing">
          <h3>Changed by someone else while you were editing</h3>
          <ul>
            {changedUnder.map((k) => (
              <li key={k}>
                {FORM_LABEL[k]}: {namesOf(k, opened[k])} → <strong>{namesOf(k, current[k])}</strong>
                {k in edits && edits[k] !== current[k] ? ` (you chose ${namesOf(k, edits[k] ?? '')}: saving sends yours)` : ''}
              </li>
            ))}
          </ul>
          <p className="muted">Saving sends only the fields you changed; the others keep these new values.</p>
        </div>
      )}
      <div className="form-grid">
        {select('Team', 'teamId', teams.data?.items ?? [], 'No team')}
        {select('Assignee', 'assigneeId', assignable, 'Unassigned')}
        {select('Service', 'serviceId', services.data?.items ?? [], 'No service')}
        {select('Category', 'categoryId', categories.data?.items ?? [], 'No category')}
        <Field label="Impact" error={fieldError('impact')}>
          {(p) => (
            <select {...p} value={form.impact} onChange={set('impact')}>
              {[1, 2, 3].map((v) => (
                <option key={v} value={v}>
                  {IMPACT_LABEL[v]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Urgency" error={fieldError('urgency')}>
          {(p) => (
            <select {...p} value={form.urgency} onChange={set('urgency')}>
              {[1, 2, 3].map((v) => (
                <option key={v} value={v}>
                  {URGENCY_LABEL[v]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Scope" error={fieldError('scope')} hint="Global: a major incident, shown to everyone as a known problem.">
          {(p) => (
            <select {...p} value={form.scope} onChange={set('scope')}>
              <option value="local">Local</option>
              <option value="global">Global (major incident)</option>
            </select>
          )}
        </Field>
        <Field label="Priority override" hint="Empty: from the matrix (impact × urgency)." error={fieldError('priorityOverride')}>
          {(p) => (
            <select {...p} value={form.override} onChange={set('override')}>
              <option value="">From the matrix</option>
              {[1, 2, 3, 4, 5].map((v) => (
                <option key={v} value={v}>
                  {PRIORITY_LABEL[v].replace(' ', ' — ')}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {form.override && (
        <Field label="Why override the priority?" error={fieldError('priorityOverride.reason') ?? fieldError('priorityOverride')}>
          {(p) => <input {...p} value={form.overrideReason} onChange={set('overrideReason')} required />}
        </Field>
      )}
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={action.busy}>
          Save
        </Button>
        <Button onClick={onDone}>Back</Button>
      </div>
    </form>
  );
}

/** Who the ticket is for; staff correct it (a caller logged under the wrong name), on the timeline. */
function RequesterFact({ ticket }: { ticket: TicketT }) {
  const action = useTicketAction(ticket);
  const [changing, setChanging] = useState(false);
  const open = !['closed', 'cancelled'].includes(ticket.state);
  if (!changing) {
    return (
      <>
        {ticket.requester?.name ?? '—'}{' '}
        {open && (
          <Button tone="ghost" onClick={() => setChanging(true)} aria-label="Change the requester">
            Change
          </Button>
        )}
      </>
    );
  }
  return (
    <div className="stack">
      <PersonPicker
        label="New requester"
        value={null}
        allowCreate
        error={action.error ? humanMessage(action.error) : undefined}
        onChange={async (person) => {
          if (person && person.id !== ticket.requester?.id && (await action.run('PATCH', '', { requesterId: person.id })))
            setChanging(false);
        }}
      />
      <Button onClick={() => setChanging(false)}>Keep {ticket.requester?.name ?? 'the requester'}</Button>
    </div>
  );
}

type FormValues = ReturnType<typeof formValuesOf>;

function formValuesOf(ticket: TicketT) {
  return {
    teamId: ticket.team?.id ?? '',
    assigneeId: ticket.assignee?.id ?? '',
    serviceId: ticket.service?.id ?? '',
    categoryId: ticket.category?.id ?? '',
    impact: String(ticket.impact),
    urgency: String(ticket.urgency),
    scope: ticket.scope as string,
    override: ticket.priorityOverridden ? String(ticket.priority) : '',
    overrideReason: ticket.priorityOverrideReason ?? '',
  };
}

const FORM_LABEL: Record<keyof FormValues, string> = {
  teamId: 'Team',
  assigneeId: 'Assignee',
  serviceId: 'Service',
  categoryId: 'Category',
  impact: 'Impact',
  urgency: 'Urgency',
  scope: 'Scope',
  override: 'Priority set by hand',
  overrideReason: 'Why the priority was set by hand',
};

/** A form value in words: names for ids, labels for levels. */
function describeValue(
  k: keyof FormValues,
  v: string,
  lists: Record<'teams' | 'staff' | 'services' | 'categories', { id: string; name: string }[] | undefined>,
): string {
  const nameIn = (list: { id: string; name: string }[] | undefined, none: string) =>
    v ? (list?.find((x) => x.id === v)?.name ?? 'another') : none;
  if (k === 'teamId') return nameIn(lists.teams, 'no team');
  if (k === 'assigneeId') return nameIn(lists.staff, 'unassigned');
  if (k === 'serviceId') return nameIn(lists.services, 'no service');
  if (k === 'categoryId') return nameIn(lists.categories, 'no category');
  if (k === 'impact') return IMPACT_LABEL[Number(v)] ?? v;
  if (k === 'urgency') return URGENCY_LABEL[Number(v)] ?? v;
  if (k === 'scope') return v === 'global' ? 'global (major incident)' : 'local';
  if (k === 'override') return v ? `P${v}` : 'from the matrix';
  return v || '—';
}

function Facts({ ticket }: { ticket: TicketT }) {
  return (
    <aside className="card">
      <h2>Details</h2>
      <dl className="facts">
        <dt>Requester</dt>
        <dd>
          <RequesterFact ticket={ticket} />
        </dd>
        <dt>Service</dt>
        <dd>{ticket.service?.name ?? '—'}</dd>
        <dt>Category</dt>
        <dd>{ticket.category?.name ?? '—'}</dd>
        <dt>Team</dt>
        <dd>{ticket.team?.name ?? 'None'}</dd>
        <dt>Assignee</dt>
        <dd>
          {ticket.assignee?.name ?? 'Unassigned'}
          {ticket.reassignmentCount > 0 && (
            // A KPI worth seeing on the ticket: one that bounces between teams needs a better route.
            <span className="muted reassigned" data-testid="reassignment-count">
              Reassigned {ticket.reassignmentCount === 1 ? 'once' : `${ticket.reassignmentCount} times`}
            </span>
          )}
        </dd>
        <dt>Impact</dt>
        <dd>{IMPACT_LABEL[ticket.impact]}</dd>
        <dt>Urgency</dt>
        <dd>{URGENCY_LABEL[ticket.urgency]}</dd>
        <dt>Priority</dt>
        <dd>
          <PriorityBadge priority={ticket.priority} />{' '}
          {ticket.priorityOverridden ? (
            <span className="muted">set by hand: {ticket.priorityOverrideReason}</span>
          ) : (
            <span className="muted">impact × urgency</span>
          )}
        </dd>
        {ticket.onHoldReason && (
          <>
            <dt>On hold</dt>
            <dd>{ON_HOLD_LABEL[ticket.onHoldReason]}</dd>
          </>
        )}
        {ticket.resolutionCode && (
          <>
            <dt>Resolution</dt>
            <dd>{RESOLUTION_LABEL[ticket.resolutionCode]}</dd>
          </>
        )}
        <dt>Updated</dt>
        <dd>
          <When at={ticket.updatedAt} />
        </dd>
      </dl>
    </aside>
  );
}
