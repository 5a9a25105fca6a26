import type { z } from 'zod';
import type {
  IncidentRole,
  IncidentTask,
  Investigation,
  Meeting,
  MyIncidentRole,
  RoleHolding,
} from '../../../../core/contracts/incident-response.js';
import { isTaskOverdue } from '../../../../core/incident-work.js';
import type { IncidentRoleRow, listCurrentHoldings, listHoldingsOfPerson } from '../../repositories/major-incidents.repository.js';
import type { MeetingView } from '../../services/incident-meetings.service.js';
import type { TaskView } from '../../services/incident-tasks.service.js';
import type { InvestigationView } from '../../services/investigations.service.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const person = (id: string, names: Map<string, string>) => ({ id, name: names.get(id) ?? '' });

export function presentIncidentRole(r: IncidentRoleRow): z.input<typeof IncidentRole> {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    description: r.description,
    checklist: r.checklist,
    singleHolder: r.singleHolder,
    pages: r.pages,
    position: r.position,
    active: r.active,
    version: r.version,
  };
}

export function presentRoleHolding(h: Awaited<ReturnType<typeof listCurrentHoldings>>[number]): z.input<typeof RoleHolding> {
  return {
    id: h.assignment.id,
    role: {
      id: h.role.id,
      name: h.role.name,
      description: h.role.description,
      checklist: h.role.checklist,
      singleHolder: h.assignment.singleHolder,
    },
    holder: { id: h.assignment.userId, name: h.holderName },
    since: h.assignment.since.toISOString(),
  };
}

export function presentMyRole(h: Awaited<ReturnType<typeof listHoldingsOfPerson>>[number]): z.input<typeof MyIncidentRole> {
  return {
    ticket: h.ticket,
    role: { id: h.role.id, name: h.role.name, description: h.role.description, checklist: h.role.checklist },
    since: h.since.toISOString(),
  };
}

export function presentInvestigation(v: InvestigationView): z.input<typeof Investigation> {
  return {
    id: v.id,
    ticketId: v.ticketId,
    hypothesis: v.hypothesis,
    owner: person(v.ownerId, v.names),
    helpers: v.helperIds.map((id) => person(id, v.names)),
    status: v.status,
    conclusion: v.conclusion,
    findings: v.findings.map((f) => ({
      id: f.id,
      author: f.authorId ? person(f.authorId, v.names) : null,
      at: f.at.toISOString(),
      body: f.body,
    })),
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    version: v.version,
  };
}

export function presentTask(t: TaskView, now: Date): z.input<typeof IncidentTask> {
  return {
    id: t.id,
    ticketId: t.ticketId,
    title: t.title,
    owner: t.ownerId ? { id: t.ownerId, name: t.ownerName ?? '' } : null,
    dueAt: iso(t.dueAt),
    done: t.doneAt !== null,
    doneAt: iso(t.doneAt),
    overdue: isTaskOverdue(t, now),
    createdAt: t.createdAt.toISOString(),
    version: t.version,
  };
}

export function presentMeeting(m: MeetingView): z.input<typeof Meeting> {
  return {
    id: m.id,
    ticketId: m.ticketId,
    title: m.title,
    startsAt: m.startsAt.toISOString(),
    durationMinutes: m.durationMinutes,
    link: m.link,
    attendees: m.attendeeIds.map((id) => person(id, m.attendeeNames)),
    agenda: m.agenda,
    notes: m.notes,
    decisions: m.decisions,
    startedAt: iso(m.startedAt),
    endedAt: iso(m.endedAt),
    version: m.version,
  };
}
