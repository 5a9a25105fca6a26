import {
  type ChangeConflict,
  type ChangeDecision,
  type ChangeStage,
  changeConflicts,
  changeStage,
  weekStart,
} from '../../../core/changes.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type Actor, canSeeTicket, isStaff } from '../../../core/permissions.js';
import type { Db } from '../db/client.js';
import { listDependencyEdges } from '../repositories/catalog.repository.js';
import {
  type ChangeRow,
  findChange,
  listApprovals,
  listChangesInWindow,
  listLinkedTickets,
  listOpenChangesOverlapping,
  listOpenMajorIncidents,
} from '../repositories/changes.repository.js';
import { serviceNamesByIds } from '../repositories/problems.repository.js';
import { findTicketById, type TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';

/** What the desk reads of changes (issue 17): one change with its conflicts now, and the calendar. */

/** The stages whose window still matters: a finished or cancelled change warns of nothing. */
const LIVE_STAGES: readonly ChangeStage[] = ['draft', 'awaiting_approval', 'scheduled', 'implementing'];

/** The conflict check reads at most this many other changes and major incidents. */
const CONFLICT_ROWS = 500;

function requireStaff(actor: Actor, what: string): void {
  if (!isStaff(actor)) throw new AppError('forbidden', `only service-desk staff can ${what}`);
}

export interface ChangeView extends ChangeRow {
  id: string;
  number: string;
  stage: ChangeStage;
  approvers: { id: string; name: string; decision: ChangeDecision | null; comment: string | null; decidedAt: Date | null }[];
  namedApprovers: boolean;
  links: Awaited<ReturnType<typeof listLinkedTickets>>;
  conflicts: (ChangeConflict & { serviceName: string })[];
}

/** A change's plan, approvals, links and the conflicts its window has now. */
export async function getChange(deps: ServiceDeps, actor: Actor, id: string): Promise<ChangeView> {
  requireStaff(actor, 'see changes');
  const ticket = await findTicketById(deps.db, id);
  const change = ticket && canSeeTicket(actor, ticket) ? await findChange(deps.db, id) : undefined;
  if (!ticket || !change) throw notFound('change');
  const approvals = await listApprovals(deps.db, id);
  const stage = changeStage({ state: ticket.state, ...change });
  const live = LIVE_STAGES.includes(stage);
  return {
    ...change,
    id: ticket.id,
    number: ticket.number,
    stage,
    approvers: approvals.map((a) => ({ id: a.approverId, name: a.name, decision: a.decision, comment: a.comment, decidedAt: a.decidedAt })),
    namedApprovers: approvals.some((a) => a.named),
    links: await listLinkedTickets(deps.db, id),
    conflicts: live ? await conflictsOf(deps.db, ticket, change) : [],
  };
}

async function conflictsOf(db: Db, ticket: TicketRow, change: ChangeRow): Promise<(ChangeConflict & { serviceName: string })[]> {
  if (!ticket.serviceId) return [];
  const [conflicts] = await conflictsOfMany(db, [
    { id: ticket.id, number: ticket.number, serviceId: ticket.serviceId, start: change.plannedStart, end: change.plannedEnd },
  ]);
  return conflicts ?? [];
}

type Window = { id: string; number: string; serviceId: string | null; start: Date; end: Date };

/**
 * The conflicts of several live changes at once (the calendar's): the graph, the open major
 * incidents and the open changes overlapping any of their windows are read once, and the pure
 * `changeConflicts` decides each — the same rule as one change's page.
 */
async function conflictsOfMany(db: Db, windows: readonly Window[]): Promise<(ChangeConflict & { serviceName: string })[][]> {
  const withService = windows.filter((w) => w.serviceId);
  if (withService.length === 0) return windows.map(() => []);
  const from = new Date(Math.min(...withService.map((w) => w.start.getTime())));
  const to = new Date(Math.max(...withService.map((w) => w.end.getTime())));
  const exceptId = windows.length === 1 ? (windows[0] as Window).id : null;
  const [edges, openMajorIncidents, others] = await Promise.all([
    listDependencyEdges(db),
    listOpenMajorIncidents(db, CONFLICT_ROWS),
    listOpenChangesOverlapping(db, from, to, exceptId, CONFLICT_ROWS),
  ]);
  const all = windows.map((w) => changeConflicts(w, { edges, openMajorIncidents, otherChanges: others }));
  const names = await serviceNamesByIds(db, [...new Set(all.flat().map((c) => c.serviceId))]);
  return all.map((list) => list.map((c) => ({ ...c, serviceName: names.get(c.serviceId) ?? '' })));
}

/** The calendar holds at most this many changes per range, and a range spans at most this many days. */
const CALENDAR_ROWS = 500;
const CALENDAR_MAX_DAYS = 92;

/** The changes whose planned window overlaps [from, to), earliest first; by default the current UTC week. */
export async function listChangeCalendar(deps: ServiceDeps, actor: Actor, range: { from?: Date; to?: Date }) {
  requireStaff(actor, 'see the change calendar');
  const from = range.from ?? weekStart(deps.clock.now());
  const to = range.to ?? new Date(from.getTime() + 7 * 86_400_000);
  if (to.getTime() <= from.getTime()) throw fieldError('validation_failed', 'to', 'must be after from');
  if (to.getTime() - from.getTime() > CALENDAR_MAX_DAYS * 86_400_000) {
    throw fieldError('validation_failed', 'to', `the calendar shows at most ${CALENDAR_MAX_DAYS} days at once`);
  }
  const rows = await listChangesInWindow(deps.db, from, to, CALENDAR_ROWS + 1);
  const shown = rows.slice(0, CALENDAR_ROWS).map((r) => ({ ...r, stage: changeStage(r) }));
  // Warnings only for changes still ahead or under way: a finished one conflicts with nothing now.
  const live = shown.filter((r) => LIVE_STAGES.includes(r.stage));
  const liveConflicts = await conflictsOfMany(
    deps.db,
    live.map((r) => ({ id: r.id, number: r.number, serviceId: r.serviceId, start: r.plannedStart, end: r.plannedEnd })),
  );
  const conflictsById = new Map(live.map((r, i) => [r.id, liveConflicts[i] ?? []]));
  return {
    from,
    to,
    truncated: rows.length > CALENDAR_ROWS,
    items: shown.map((r) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      stage: r.stage,
      type: r.type,
      risk: r.risk,
      service: r.serviceId ? { id: r.serviceId, name: r.serviceName ?? '' } : null,
      plannedStart: r.plannedStart,
      plannedEnd: r.plannedEnd,
      conflicts: conflictsById.get(r.id) ?? [],
    })),
  };
}
