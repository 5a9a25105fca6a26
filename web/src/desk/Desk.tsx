import { useVirtualizer } from '@tanstack/react-virtual';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link, NavLink, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { humanMessage } from '../api/client';
import * as meApi from '../api/endpoints/me';
import { useMe, useSavedViews, useTeams, useTicketPages, useUser } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { MeT, SaveViewIn } from '../api/types';
import { count } from '../ui/format';
import { Banner, Button, EmptyState, Field, PriorityBadge, StateBadge, When } from '../ui/kit';
import { useShortcuts } from '../ui/useShortcuts';
import { LinkToIncidentForm } from './MajorIncidentPanel';
import { type DueUpdate, UpdateDueBadge, useUpdatesDue } from './major/UpdateDue';
import { PersonPicker } from './PersonPicker';
import { enterOpensHighlighted, myTeamIds, QUEUES, REPORT_FILTER_KEYS } from './queues';
import { SlaDue } from './SlaPanel';
import { SourceAttributeFilter } from './SourceAttributes';
import { StormProposals } from './StormProposals';

/** A queue row's height: taller on phones, where the title has a line of its own (web/src/styles/desk.css, phone rules). */
const rowHeight = () => (window.matchMedia?.('(max-width: 600px)').matches ? 60 : 48);
const FILTER_KEYS = ['q', 'priority', 'teamId', 'kind', 'requesterId', 'sort', 'attr', ...REPORT_FILTER_KEYS] as const;

/** The agent workspace's queues: a virtualised list over server-side filtered, paged results. */
export default function Desk() {
  const me = useMe().data as MeT;
  const { queue = 'unassigned' } = useParams();
  const [search, setSearch] = useSearchParams();
  const teams = useTeams();
  const def = QUEUES.find((q) => q.id === queue) ?? QUEUES[2];
  const mine = myTeamIds(me, teams.data?.items);
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, search.get(k) ?? '']).filter(([, v]) => v));
  const params = { ...def.params(me, mine), ...filters };
  const views = useSavedViews();
  const savedViews = views.data?.items ?? [];
  const [naming, setNaming] = useState(false);
  const removeView = useApiMutation({
    mutationFn: meApi.removeView,
    invalidates: [keys.savedViews],
    refreshOnError: true, // already gone is fine: the list is read again either way
  });

  return (
    <div className="desk">
      <nav className="queue-nav" aria-label="Queues">
        <h2>Queues</h2>
        {QUEUES.filter((q) => !q.hidden || q.id === def.id).map((q) => (
          <NavLink key={q.id} to={`/desk/queue/${q.id}`}>
            {q.label}
          </NavLink>
        ))}
        <NavLink to="/desk/dashboard">Dashboard</NavLink>
        <NavLink to="/desk/action-items">Action items</NavLink>
        <NavLink to="/desk/changes">Change calendar</NavLink>
        {savedViews.length > 0 && <h2>Saved views</h2>}
        {savedViews.map((v) => (
          <span key={v.id} className="row" style={{ gap: 0 }}>
            <Link to={`/desk/queue/${v.queue}?${new URLSearchParams(v.filters)}`} style={{ flex: 1 }}>
              {v.name}
            </Link>
            <Button tone="ghost" aria-label={`Remove saved view ${v.name}`} onClick={() => removeView.run(v.id)}>
              ×
            </Button>
          </span>
        ))}
      </nav>
      <section aria-labelledby="queue-title">
        <StormProposals />
        <div className="page-header">
          <h1 id="queue-title">{def.label}</h1>
          <div className="page-header-actions">
            {/* A report's drill-down holds the report's instants: not a view to keep. */}
            {!def.hidden && <Button onClick={() => setNaming(true)}>Save view…</Button>}
            <ExportMenu params={params} />
            <Link className="btn btn-primary" to="/desk/new">
              New ticket
            </Link>
          </div>
        </div>
        {naming && (
          <SaveViewForm
            queue={def.id}
            filters={filters}
            suggestion={`${def.label}${filters.q ? `: ${filters.q}` : ''}`}
            onDone={() => setNaming(false)}
          />
        )}
        <Filters
          values={filters}
          teams={teams.data?.items ?? []}
          onChange={(next) => {
            const p = new URLSearchParams();
            for (const [k, v] of Object.entries(next)) if (v) p.set(k, v);
            setSearch(p, { replace: true });
          }}
        />
        <Queue params={params} selectable />
      </section>
    </div>
  );
}

/** Names the current queue and filters; the view is kept on the server, for every browser. */
function SaveViewForm({
  queue,
  filters,
  suggestion,
  onDone,
}: {
  queue: string;
  filters: Record<string, string>;
  suggestion: string;
  onDone: () => void;
}) {
  const [name, setName] = useState(suggestion);
  const save = useApiMutation({ mutationFn: (view: SaveViewIn) => meApi.saveView(view), invalidates: [keys.savedViews] });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await save.run({ name, queue, filters })) onDone();
  };
  return (
    <form className="card row" onSubmit={submit} style={{ marginBottom: '.75rem', alignItems: 'end' }}>
      <Field label="Name this view" error={save.error ? (save.fieldError('name') ?? humanMessage(save.error)) : undefined}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />}
      </Field>
      <Button tone="primary" type="submit">
        Save view
      </Button>
      <Button onClick={onDone}>Cancel</Button>
    </form>
  );
}

function Filters({
  values,
  teams,
  onChange,
}: {
  values: Record<string, string>;
  teams: { id: string; name: string }[];
  onChange: (next: Record<string, string>) => void;
}) {
  const [q, setQ] = useState(values.q ?? '');
  const requester = useUser(values.requesterId);
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((values.q ?? '') !== q) onChange({ ...values, q });
    }, 250);
    return () => clearTimeout(timer);
  }, [q, values, onChange]);
  // On a phone the filters beyond the search fold away, so the queue starts above the fold.
  const [more, setMore] = useState(false);
  const active = (['requesterId', 'priority', 'teamId', 'kind', 'slaBreached', 'rated', 'attr', 'sort'] as const).filter(
    (k) => values[k],
  ).length;
  return (
    <search className="filters">
      <Field label="Search this queue">
        {(p) => (
          <input {...p} type="search" placeholder="Number, title, text or requester" value={q} onChange={(e) => setQ(e.target.value)} />
        )}
      </Field>
      <button
        type="button"
        className="btn filters-toggle"
        aria-expanded={more}
        aria-controls="queue-filters-more"
        onClick={() => setMore(!more)}
      >
        {more ? 'Fewer filters' : active > 0 ? `More filters (${active} set)` : 'More filters'}
      </button>
      <div id="queue-filters-more" className={more ? 'filters-more open' : 'filters-more'}>
        <PersonPicker
          compact
          label="Requester"
          value={
            values.requesterId ? { id: values.requesterId, name: requester.data?.name ?? 'Loading…', email: requester.data?.email } : null
          }
          onChange={(person) => onChange({ ...values, requesterId: person?.id ?? '' })}
        />
        <Field label="Priority">
          {(p) => (
            <select {...p} value={values.priority ?? ''} onChange={(e) => onChange({ ...values, priority: e.target.value })}>
              <option value="">Any</option>
              <option value="1">P1</option>
              <option value="1,2">P1–P2</option>
              <option value="3">P3</option>
              <option value="4,5">P4–P5</option>
            </select>
          )}
        </Field>
        <Field label="Team">
          {(p) => (
            <select {...p} value={values.teamId ?? ''} onChange={(e) => onChange({ ...values, teamId: e.target.value })}>
              <option value="">Any</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Kind">
          {(p) => (
            <select {...p} value={values.kind ?? ''} onChange={(e) => onChange({ ...values, kind: e.target.value })}>
              <option value="">Any</option>
              <option value="incident">Incidents</option>
              <option value="service_request">Service requests</option>
              <option value="disturbance">Disturbances</option>
              <option value="problem">Problems</option>
              <option value="change">Changes</option>
            </select>
          )}
        </Field>
        <Field label="SLA">
          {(p) => (
            <select {...p} value={values.slaBreached ?? ''} onChange={(e) => onChange({ ...values, slaBreached: e.target.value })}>
              <option value="">Any</option>
              <option value="true">Breached</option>
              <option value="false">Met (none breached)</option>
            </select>
          )}
        </Field>
        <Field label="Rating">
          {(p) => (
            <select {...p} value={values.rated ?? ''} onChange={(e) => onChange({ ...values, rated: e.target.value })}>
              <option value="">Any</option>
              <option value="true">Rated by the requester</option>
              <option value="false">Not rated</option>
            </select>
          )}
        </Field>
        <SourceAttributeFilter value={values.attr ?? ''} onChange={(attr) => onChange({ ...values, attr })} />
        <Field label="Sort">
          {(p) => (
            <select {...p} value={values.sort ?? ''} onChange={(e) => onChange({ ...values, sort: e.target.value })}>
              <option value="">Queue default</option>
              <option value="priority">Priority, oldest first</option>
              <option value="-openedAt">Newest first</option>
              <option value="openedAt">Oldest first</option>
              <option value="-updatedAt">Recently updated</option>
              <option value="slaDueAt">SLA due, soonest first</option>
            </select>
          )}
        </Field>
      </div>
    </search>
  );
}

/** A list of tickets from GET /tickets with these parameters; the global search shows its results with it too. */
export function Queue({
  params,
  empty = 'No ticket matches this queue and its filters.',
  selectable = false,
}: {
  params: Record<string, string>;
  empty?: string;
  /** The desk's queues: tickets can be picked and linked to an incident together. */
  selectable?: boolean;
}) {
  const navigate = useNavigate();
  const location = useLocation();
  // The ticket page's "← Queues" returns here, with this queue's filters (or this search).
  const from = { from: `${location.pathname}${location.search}` };
  const pages = useTicketPages(params);
  const tickets = useMemo(() => pages.data?.pages.flatMap((p) => p.items) ?? [], [pages.data]);
  const updatesDue = useUpdatesDue();
  const scroller = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState(0);
  const pick = usePicking();
  const virtual = useVirtualizer({
    count: tickets.length,
    getScrollElement: () => scroller.current,
    estimateSize: rowHeight,
    overscan: 12,
  });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && last.index >= tickets.length - 20 && pages.hasNextPage && !pages.isFetchingNextPage) pages.fetchNextPage();
  }, [last, tickets.length, pages]);

  // j / k move through the queue, Enter opens the highlighted ticket: the desk's common moves by
  // keyboard (the top bar's search takes /).
  useShortcuts((e) => {
    if (e.key === 'j' || e.key === 'k') {
      e.preventDefault();
      setSelected((s) => {
        const next = Math.max(0, Math.min(tickets.length - 1, s + (e.key === 'j' ? 1 : -1)));
        virtual.scrollToIndex(next);
        return next;
      });
    } else if (e.key === 'Enter' && tickets[selected] && enterOpensHighlighted(e.target as HTMLElement)) {
      // Also when a row other than the highlighted one has focus (Tab, then j/k): its link would open the wrong ticket.
      e.preventDefault();
      navigate(`/desk/tickets/${tickets[selected].id}`, { state: from });
    }
  });

  if (pages.error) return <Banner tone="danger">{humanMessage(pages.error)}</Banner>;
  if (pages.isPending) return <p className="loading">Loading the queue…</p>;
  if (tickets.length === 0) return <EmptyState title="Nothing here">{empty}</EmptyState>;
  return (
    <>
      {selectable && <PickBar pick={pick} />}
      <p className="muted" aria-live="polite">
        {pages.hasNextPage ? `${tickets.length}+ tickets` : count(tickets.length, 'ticket')} · <kbd className="kbd">j</kbd>/
        <kbd className="kbd">k</kbd> to move, <kbd className="kbd">Enter</kbd> to open
      </p>
      <section className="queue" ref={scroller} aria-label="Tickets in this queue" tabIndex={-1}>
        <div className={`queue-head ${pick.on ? 'picking' : ''}`} aria-hidden="true">
          <span>Priority</span>
          <span className="hide-narrow">Number</span>
          <span>Title</span>
          <span className="hide-narrow">Team</span>
          <span className="hide-narrow">Assignee</span>
          <span>SLA</span>
          <span className="hide-narrow">Opened</span>
        </div>
        <ul style={{ height: virtual.getTotalSize(), position: 'relative', listStyle: 'none', margin: 0, padding: 0 }}>
          {items.map((row) => {
            const t = tickets[row.index];
            return (
              <li key={t.id}>
                {pick.on && (
                  <input
                    type="checkbox"
                    className="queue-pick"
                    style={{ top: row.start }}
                    aria-label={`Select ${t.number}`}
                    checked={pick.ids.has(t.id)}
                    onChange={() => pick.toggle(t.id)}
                  />
                )}
                <Link
                  to={`/desk/tickets/${t.id}`}
                  state={from}
                  className={`queue-row ${row.index === selected ? 'selected' : ''} ${pick.on ? 'picking' : ''}`}
                  data-ticket-id={t.id}
                  style={{ top: row.start }}
                  aria-current={row.index === selected ? 'true' : undefined}
                  onFocus={() => setSelected(row.index)}
                  // j/k while a row has focus: focus follows the highlight (screen readers read the row moved to).
                  ref={(el) => {
                    const focused = document.activeElement;
                    if (el && row.index === selected && focused !== el && focused?.classList.contains('queue-row')) el.focus();
                  }}
                >
                  <span>
                    <PriorityBadge priority={t.priority} />
                  </span>
                  <span className="ticket-number hide-narrow">{t.number}</span>
                  <span className="title">
                    {/* First, so a long title's ellipsis never hides that an update is due. */}
                    {updatesDue.get(t.id) ? <UpdateDueBadge {...(updatesDue.get(t.id) as DueUpdate)} short /> : null} {t.title}{' '}
                    <StateBadge state={t.state} />
                  </span>
                  <span className="cell hide-narrow">{t.team?.name ?? '—'}</span>
                  <span className="cell hide-narrow">{t.assignee?.name ?? 'Unassigned'}</span>
                  <span className="cell">
                    <SlaDue dueAt={t.slaDueAt} />
                  </span>
                  <span className="cell hide-narrow">
                    <When at={t.openedAt} />
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}

/** Which rows of a queue are picked, in the order they were picked. */
function usePicking() {
  const [on, setOn] = useState(false);
  const [ids, setIds] = useState<Set<string>>(new Set());
  return {
    on,
    ids,
    start: () => setOn(true),
    stop: () => {
      setOn(false);
      setIds(new Set());
    },
    toggle: (id: string) =>
      setIds((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
  };
}

/** Above a queue: pick tickets, then link them all to an incident by its number. */
function PickBar({ pick }: { pick: ReturnType<typeof usePicking> }) {
  const [linking, setLinking] = useState(false);
  if (!pick.on) {
    return (
      <div className="pick-bar">
        <Button onClick={pick.start}>Select tickets…</Button>
      </div>
    );
  }
  return (
    <div className="pick-bar card">
      <div className="row wrap">
        <strong aria-live="polite">{count(pick.ids.size, 'ticket')} selected</strong>
        <Button tone="primary" disabled={pick.ids.size === 0} onClick={() => setLinking(true)}>
          Link to incident…
        </Button>
        <Button
          onClick={() => {
            setLinking(false);
            pick.stop();
          }}
        >
          Done selecting
        </Button>
      </div>
      {linking && pick.ids.size > 0 && (
        <LinkToIncidentForm
          ticketIds={[...pick.ids]}
          what={count(pick.ids.size, 'selected ticket')}
          onDone={() => {
            setLinking(false);
            pick.stop();
          }}
        />
      )}
    </div>
  );
}

/**
 * The queue as it is filtered, exported by the API (`GET /api/v1/tickets/export`, streamed):
 * CSV with the queue's columns, or JSON lines with every ticket's timeline. Plain links, so the
 * browser downloads the stream itself instead of the page holding it.
 */
function ExportMenu({ params }: { params: Record<string, unknown> }) {
  const href = (format: 'csv' | 'jsonl') => {
    const query = new URLSearchParams({ format });
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
    return `/api/v1/tickets/export?${query}`;
  };
  return (
    <details className="export-menu">
      <summary className="btn btn-secondary">Export</summary>
      <div className="export-menu-items">
        <a href={href('csv')} download>
          CSV (this queue as a table)
        </a>
        <a href={href('jsonl')} download>
          JSON lines (with timelines)
        </a>
      </div>
    </details>
  );
}
