import { useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { humanMessage } from '../api/client';
import * as ticketApi from '../api/endpoints/tickets';
import { useMe, useTeams, useTicket, useTimeline, useUsers } from '../api/hooks';
import { useTicketAction } from '../api/ticket-hooks';
import type { MeT, TicketT } from '../api/types';
import { Attachments } from '../ui/Attachments';
import { Banner, Button, ChoiceGroup, Loading, PriorityBadge, StateBadge, When } from '../ui/kit';
import { CHANNEL_LABEL, IMPACT_LABEL, ON_HOLD_LABEL, RESOLUTION_LABEL, URGENCY_LABEL } from '../ui/labels';
import { RatingShown } from '../ui/Satisfaction';
import { Timeline } from '../ui/Timeline';
import { inView, TIMELINE_VIEW_LABELS, TIMELINE_VIEWS, type TimelineView } from '../ui/timeline-filters';
import { ChangePanel } from './ChangePanel';
import { CompletionPanel } from './CompletionPanel';
import { Composer } from './Composer';
import { MajorIncidentPanel } from './MajorIncidentPanel';
import { ResponsePanels } from './major/ResponsePanels';
import { StakeholderUpdatesPanel } from './major/StakeholderUpdatesPanel';
import { WarRoomSummary } from './major/WarRoomSummary';
import { PagedBanner, PagesPanel } from './Pages';
import { PersonPicker } from './PersonPicker';
import { IncidentProblemCard, KnownErrorsBanner, ProblemPanel, ServiceImpactPanel } from './ProblemPanel';
import { backToQueue } from './queues';
import { ReviewPanel } from './ReviewPanel';
import { RoutingCard } from './RoutingCard';
import { SimilarIncidentsCard } from './SimilarIncidents';
import { SlaPanel } from './SlaPanel';
import { SourceAttributes } from './SourceAttributes';
import { TicketAlerts } from './TicketAlerts';
import { TicketArticles } from './TicketArticles';
import { TicketEmails } from './TicketEmails';
import { TicketWork } from './TicketWork';

const VIEW_CHOICES = TIMELINE_VIEWS.map((v) => ({ value: v, label: TIMELINE_VIEW_LABELS[v] }));

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
  // A major incident's timeline is long: the war room can narrow it to its turning points,
  // its decisions or what the world was told; it opens on everything, as every ticket does.
  const [view, setView] = useState<TimelineView>('all');
  // An article link the agent chose to insert into the reply (n changes on every insert).
  const [inserted, setInserted] = useState<{ text: string; n: number }>();
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
          {/* A change's stage (its panel) says more than the ticket state it is read from. */}
          {t.kind !== 'change' && <StateBadge state={t.state} />}
          <PriorityBadge priority={t.priority} />
          <span className="muted">
            {t.kind === 'incident'
              ? 'Incident'
              : t.kind === 'disturbance'
                ? 'Disturbance (from monitoring)'
                : t.kind === 'problem'
                  ? 'Problem'
                  : t.kind === 'change'
                    ? 'Change'
                    : 'Service request'}
            {t.majorSince ? ' · major incident' : t.scope === 'global' ? ' · global' : ''}
            {t.parentId ? ' · child of an incident' : ''}
            {t.escalationLevel > 0 ? ` · escalation level ${t.escalationLevel}` : ''}
          </span>
        </div>
        <h1>{t.title}</h1>
        <p className="muted">
          {t.kind === 'problem' || t.kind === 'change' ? (
            <>Recorded by {t.requester?.name ?? 'someone'} · </>
          ) : (
            <>
              Reported by {t.requester?.name ?? 'someone'} via {CHANNEL_LABEL[t.channel]} ·{' '}
            </>
          )}
          <When at={t.openedAt} />
        </p>
      </header>
      <PagedBanner ticket={t} me={me} />
      {uploadError ? (
        <Banner tone="warning" title="The ticket was logged, but a file was refused">
          {uploadError} Attach it again below.
        </Banner>
      ) : null}
      <KnownErrorsBanner ticket={t} />
      <TicketWork ticket={t} me={me} />
      {t.kind === 'problem' ? <ProblemPanel ticket={t} /> : null}
      {t.kind === 'change' ? <ChangePanel ticket={t} me={me} /> : null}
      {t.majorSince ? <WarRoomSummary ticket={t} /> : null}
      {t.majorSince ? <ResponsePanels ticket={t} me={me} /> : null}
      {t.majorSince ? <ReviewPanel ticket={t} me={me} /> : null}
      {t.kind === 'incident' && (t.majorSince || t.scope === 'global') ? <StakeholderUpdatesPanel ticket={t} /> : null}
      <div className="grid-2">
        <div className="stack">
          {t.description && (
            <section className="card">
              <h2>Description</h2>
              <p style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}>{t.description}</p>
            </section>
          )}
          <Composer ticket={t} inserted={inserted} />
          <TicketAlerts ticket={t} />
          <section className="card">
            <h2>Timeline</h2>
            {t.majorSince && <ChoiceGroup legend="Show" name="timeline-view" value={view} choices={VIEW_CHOICES} onChange={setView} />}
            {timeline.data ? (
              <Timeline events={[...timeline.data.items].reverse().filter((e) => !t.majorSince || inView(e, view))} names={names} />
            ) : (
              <Loading what="the timeline" />
            )}
          </section>
        </div>
        <div className="stack">
          <Facts ticket={t} />
          <RoutingCard ticket={t} />
          {t.kind === 'incident' ? <IncidentProblemCard ticket={t} /> : null}
          {t.kind === 'incident' ? <SimilarIncidentsCard ticket={t} /> : null}
          {t.kind === 'incident' || t.kind === 'problem' || t.kind === 'change' ? <ServiceImpactPanel ticket={t} /> : null}
          <TicketArticles ticket={t} onInsert={(text) => setInserted((i) => ({ text, n: (i?.n ?? 0) + 1 }))} />
          {t.kind !== 'problem' && t.kind !== 'change' ? <MajorIncidentPanel ticket={t} /> : null}
          {t.state === 'closed' && <RatingShown ticketId={t.id} />}
          <PagesPanel ticket={t} me={me} />
          <SlaPanel ticketId={t.id} version={t.version} />
          <CompletionPanel ticket={t} me={me} />
          <Attachments ticketId={t.id} canAdd={!['closed', 'cancelled'].includes(t.state)} />
          <TicketEmails ticketId={t.id} />
        </div>
      </div>
    </div>
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
          if (
            person &&
            person.id !== ticket.requester?.id &&
            (await action.save((v) => ticketApi.update(ticket.id, v, { requesterId: person.id })))
          )
            setChanging(false);
        }}
      />
      <Button onClick={() => setChanging(false)}>Keep {ticket.requester?.name ?? 'the requester'}</Button>
    </div>
  );
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
      <SourceAttributes ticket={ticket} />
    </aside>
  );
}
