import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { meetingMoveProblem, pastTimeProblem } from '../../../core/incident-work.js';
import { type Actor, isManager } from '../../../core/permissions.js';
import type { Db } from '../db/client.js';
import {
  findHolderOfRoleKey,
  findMeeting,
  insertMeeting,
  listMeetings,
  type MeetingRow,
  namesOf,
  saveMeeting,
} from '../repositories/major-incidents.repository.js';
import type { TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { applyEscalation } from './escalation.service.js';
import { checkVersion, idempotentCreate, lockMajorIncident, noteOnIncident, readMajorIncident } from './major-incident-response.helpers.js';
import type { MeetingInvitation } from './meeting-invitation.js';

/**
 * Meetings (issue 14 item 7): escalation and resolution meetings of a major incident — a time, a
 * bridge link, attendees, agenda, notes and decisions; started and ended on the timeline.
 * Scheduling puts `meeting_scheduled` on the timeline naming who is invited; the pipeline turns
 * that into an in-app notification and an e-mail carrying an iCalendar invitation
 * (`meeting-invitation.ts`). A global incident's Technical Manager may escalate it to management
 * and invite that manager in the same step.
 */

export interface MeetingView extends MeetingRow {
  attendeeNames: Map<string, string>;
}

async function viewsOf(db: Db, rows: MeetingRow[]): Promise<MeetingView[]> {
  const names = await namesOf(
    db,
    rows.flatMap((r) => r.attendeeIds),
  );
  return rows.map((r) => ({ ...r, attendeeNames: names }));
}

export async function listMeetingsOf(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<MeetingView[]> {
  await readMajorIncident(deps.db, actor, ticketId);
  return viewsOf(deps.db, await listMeetings(deps.db, ticketId));
}

function invitationOf(ticket: TicketRow, meeting: MeetingRow): MeetingInvitation {
  return {
    meetingId: meeting.id,
    title: meeting.title,
    startsAt: meeting.startsAt.toISOString(),
    durationMinutes: meeting.durationMinutes,
    link: meeting.link,
    sequence: meeting.version - 1,
    ticketNumber: ticket.number,
    description: [meeting.agenda, meeting.link ? `Join: ${meeting.link}` : '', `Incident: ${ticket.number} ${ticket.title}`]
      .filter(Boolean)
      .join('\n\n'),
  };
}

const UTC_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** When, in words every reader of the timeline and the mail shares: UTC, and how long. */
function whenText(meeting: MeetingRow): string {
  return `${UTC_TIME.format(meeting.startsAt)} UTC (${meeting.durationMinutes} min)`;
}

function checkStart(startsAt: Date, now: Date): void {
  const problem = pastTimeProblem(startsAt, now);
  if (problem) throw fieldError('unprocessable', 'startsAt', problem);
}

export interface CreateMeetingInput {
  title: string;
  startsAt: string;
  durationMinutes: number;
  link: string | null;
  attendeeIds: string[];
  agenda: string;
  escalateTo?: { managerId: string; reason: string };
}

export async function scheduleMeeting(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  input: CreateMeetingInput,
  idempotencyKey?: string,
): Promise<MeetingView> {
  return deps.db.transaction(async (tx) => {
    let ticket = await lockMajorIncident(tx, actor, ticketId);
    const now = deps.clock.now();
    const made = await idempotentCreate(
      tx,
      actor,
      now,
      idempotencyKey,
      { ticketId, ...input },
      (id) => findMeeting(tx, ticketId, id),
      async () => {
        const startsAt = new Date(input.startsAt);
        checkStart(startsAt, now);
        await requireActiveUsers(tx, input.attendeeIds, 'agent', 'attendeeIds');
        const attendeeIds = [...new Set(input.attendeeIds)];
        if (input.escalateTo) {
          // Hierarchical escalation of a global incident, by its Technical Manager (or a manager).
          if (ticket.scope !== 'global') {
            throw fieldError(
              'conflict',
              'escalateTo',
              `${ticket.number} is local: only a global incident is escalated to management from here`,
            );
          }
          const technicalManager = await findHolderOfRoleKey(tx, ticket.id, 'technical_manager');
          if (technicalManager !== actor.id && !isManager(actor)) {
            throw new AppError('forbidden', `only the Technical Manager of ${ticket.number} (or a manager) escalates it to management`);
          }
          await requireActiveUsers(tx, [input.escalateTo.managerId], 'manager', 'escalateTo.managerId');
          ticket = await applyEscalation(
            tx,
            ticket,
            { kind: 'hierarchical', reason: input.escalateTo.reason, toUserId: input.escalateTo.managerId },
            actor,
            now,
          );
          if (!attendeeIds.includes(input.escalateTo.managerId)) attendeeIds.push(input.escalateTo.managerId);
        }
        const meeting = await insertMeeting(tx, {
          ticketId,
          title: input.title,
          startsAt,
          durationMinutes: input.durationMinutes,
          link: input.link,
          attendeeIds,
          agenda: input.agenda,
          createdAt: now,
          createdById: actor.id,
          updatedAt: now,
        });
        await noteOnIncident(tx, ticket, actor, now, [
          {
            type: 'meeting_scheduled',
            body: `Meeting scheduled: ${meeting.title}, ${whenText(meeting)}${meeting.link ? ` — ${meeting.link}` : ''}`,
            data: { meetingId: meeting.id, invitedIds: attendeeIds, invitation: invitationOf(ticket, meeting) },
          },
        ]);
        return meeting;
      },
    );
    return (await viewsOf(tx, [made]))[0];
  });
}

export async function updateMeeting(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  id: string,
  input: Partial<Omit<CreateMeetingInput, 'escalateTo'>> & { notes?: string; decisions?: string },
  expectedVersion?: number,
): Promise<MeetingView> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockMajorIncident(tx, actor, ticketId);
    const meeting = await findMeeting(tx, ticketId, id);
    if (!meeting) throw notFound('meeting');
    checkVersion('meeting', meeting.version, expectedVersion);
    const now = deps.clock.now();
    const startsAt = input.startsAt ? new Date(input.startsAt) : meeting.startsAt;
    const moved = startsAt.getTime() !== meeting.startsAt.getTime();
    if (moved) checkStart(startsAt, now);
    if (input.attendeeIds) await requireActiveUsers(tx, input.attendeeIds, 'agent', 'attendeeIds');
    const attendeeIds = input.attendeeIds ? [...new Set(input.attendeeIds)] : meeting.attendeeIds;
    const saved = await saveMeeting(
      tx,
      meeting.id,
      {
        title: input.title ?? meeting.title,
        startsAt,
        durationMinutes: input.durationMinutes ?? meeting.durationMinutes,
        link: input.link === undefined ? meeting.link : input.link,
        attendeeIds,
        agenda: input.agenda ?? meeting.agenda,
        notes: input.notes ?? meeting.notes,
        decisions: input.decisions ?? meeting.decisions,
        updatedAt: now,
      },
      meeting.version,
    );
    // A change of time, length, place or title updates everyone's invitation; a new attendee gets one.
    const rescheduled =
      moved || saved.durationMinutes !== meeting.durationMinutes || saved.link !== meeting.link || saved.title !== meeting.title;
    const invitedIds = rescheduled ? attendeeIds : attendeeIds.filter((a) => !meeting.attendeeIds.includes(a));
    const decided = saved.decisions !== meeting.decisions;
    await noteOnIncident(tx, ticket, actor, now, [
      {
        type: 'meeting_updated',
        body: decided
          ? `Decisions (${saved.title}): ${saved.decisions}`
          : rescheduled
            ? `Meeting changed: ${saved.title}, ${whenText(saved)}`
            : `Meeting changed: ${saved.title}`,
        data: {
          meetingId: meeting.id,
          invitedIds,
          // Marked, so the war room's timeline can show decisions on their own.
          ...(decided ? { decisions: true } : {}),
          ...(invitedIds.length > 0 ? { invitation: invitationOf(ticket, saved) } : {}),
        },
      },
    ]);
    return (await viewsOf(tx, [saved]))[0];
  });
}

/** Starts or ends a meeting: on the timeline. */
export async function moveMeeting(deps: ServiceDeps, actor: Actor, ticketId: string, id: string, action: 'start' | 'end') {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockMajorIncident(tx, actor, ticketId);
    const meeting = await findMeeting(tx, ticketId, id);
    if (!meeting) throw notFound('meeting');
    const problem = meetingMoveProblem(meeting, action);
    if (problem) throw new AppError('conflict', `${meeting.title}: ${problem}`);
    const now = deps.clock.now();
    const saved = await saveMeeting(
      tx,
      meeting.id,
      action === 'start' ? { startedAt: now, updatedAt: now } : { endedAt: now, updatedAt: now },
      meeting.version,
    );
    await noteOnIncident(tx, ticket, actor, now, [
      {
        type: action === 'start' ? 'meeting_started' : 'meeting_ended',
        body: action === 'start' ? `Meeting started: ${saved.title}` : `Meeting ended: ${saved.title}`,
        data: { meetingId: meeting.id },
      },
    ]);
    return (await viewsOf(tx, [saved]))[0];
  });
}
