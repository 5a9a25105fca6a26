import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { type Actor, isStaff } from '../../../core/permissions.js';
import {
  BUILT_IN_AUDIENCE_LABELS,
  BUILT_IN_AUDIENCES,
  EVALUATION_POINT_LABELS,
  isBuiltInAudience,
  pendingEvaluationPoint,
  renderTemplate,
  type TemplateVariable,
  UPDATE_STAGE_LABELS,
  type UpdateStage,
  unknownVariables,
  unknownVariablesMessage,
} from '../../../core/stakeholder-updates.js';
import { nextUpdateDue } from '../../../core/update-cadence.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Db, Tx } from '../db/client.js';
import { scheduleJobs } from '../jobs/schedule.js';
import { deliverJob } from '../jobs/specs/notification-deliver.job-spec.js';
import { listFollowerIds } from '../repositories/followers.repository.js';
import { namesByIds } from '../repositories/names.repository.js';
import { insertNotifications } from '../repositories/notifications.repository.js';
import {
  findPublicUpdate,
  latestEdits,
  listPublicUpdateIds,
  listUpdateEdits,
  type UpdateEditRow,
} from '../repositories/public-update-edits.repository.js';
import {
  type AudienceRow,
  activeMemberIdsOfTeams,
  currentRoleHolderIds,
  findAudiencesByIds,
  listAudiences,
  listEvaluationFacts,
  listStakeholderUpdates,
  serviceNameOf,
} from '../repositories/stakeholder-updates.repository.js';
import { findTicketById, type TicketRow } from '../repositories/tickets.repository.js';
import type { ServiceDeps } from './deps.js';
import { getUpdateTemplates } from './stakeholder-audiences.service.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';
import { lockTicketForWrite } from './ticket-write.helpers.js';
import { cadenceOf, getUpdateCadenceSettings } from './update-cadence.service.js';

/**
 * The update composer (issue 15 items 4–6): one send writes the update on the incident's
 * timeline through the ticket-change pipeline. A public update is also a public comment by the
 * desk, so the status page, the portal, the requester and every follower (and whatever follows
 * public comments, such as status-page subscribers) get it from the pipeline, not from here. The
 * stakeholder lists and role holders hear it as a notification; addresses outside Firebreak by
 * e-mail through the same outbox.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "09:07 UTC on 6 December 2026": updates are read by people in many time zones. */
export function utcWords(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC on ${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
}

function refuseUnlessIncident(actor: Actor, ticket: TicketRow | undefined): TicketRow {
  if (!ticket || !isStaff(actor)) throw notFound('ticket');
  if (ticket.kind !== 'incident')
    throw new AppError('conflict', `${ticket.number} is not an incident: stakeholder updates are about incidents`);
  return ticket;
}

async function variablesOf(db: Db, ticket: TicketRow, now: Date): Promise<Record<TemplateVariable, string>> {
  const [serviceName, { intervals }] = await Promise.all([serviceNameOf(db, ticket.serviceId), getUpdateCadenceSettings(db)]);
  // Sending this update restarts the count: the next one is due one interval from now.
  const next = nextUpdateDue({
    priority: ticket.priority,
    open: ticket.majorSince !== null && OPEN_STATES.includes(ticket.state),
    lastUpdateAt: now,
    cadenceSince: now,
    intervals,
  });
  return {
    service: serviceName ?? 'the affected service',
    incident_number: ticket.number,
    title: ticket.title,
    priority: `P${ticket.priority}`,
    started_at: utcWords(ticket.openedAt),
    next_update_at: next ? utcWords(next) : 'when there is news',
  };
}

interface Reach {
  userIds: string[];
  emails: string[];
}

async function reachOfList(db: Db, list: AudienceRow): Promise<Reach> {
  const members = await activeMemberIdsOfTeams(db, list.teamIds);
  return { userIds: [...new Set([...list.userIds, ...members])], emails: list.emails };
}

async function publicReach(db: Db, ticket: TicketRow): Promise<number> {
  return new Set([ticket.requesterId, ...(await listFollowerIds(db, ticket.id))]).size;
}

export async function getComposer(deps: ServiceDeps, actor: Actor, ticketId: string) {
  const ticket = refuseUnlessIncident(actor, await findTicketById(deps.db, ticketId));
  const now = deps.clock.now();
  const [templates, variables, lists, roleHolders, publicCount, cadence, facts, updates] = await Promise.all([
    getUpdateTemplates(deps.db),
    variablesOf(deps.db, ticket, now),
    listAudiences(deps.db),
    currentRoleHolderIds(deps.db, ticket.id),
    publicReach(deps.db, ticket),
    cadenceOf(deps.db, ticket.id, now),
    listEvaluationFacts(deps.db, ticket.id),
    listSentUpdates(deps.db, ticket.id),
  ]);
  const major = ticket.majorSince !== null;
  const audiences = [
    {
      id: 'public',
      name: BUILT_IN_AUDIENCE_LABELS.public,
      builtIn: true,
      proposed: major || ticket.scope === 'global',
      recipientCount: publicCount,
    },
    { id: 'role_holders', name: BUILT_IN_AUDIENCE_LABELS.role_holders, builtIn: true, proposed: major, recipientCount: roleHolders.length },
    ...(await Promise.all(
      lists.map(async (list) => {
        const reach = await reachOfList(deps.db, list);
        return {
          id: list.id,
          name: list.name,
          builtIn: false,
          proposed: ticket.serviceId !== null && list.serviceIds.includes(ticket.serviceId),
          recipientCount: reach.userIds.length + reach.emails.length,
        };
      }),
    )),
  ];
  const pending = pendingEvaluationPoint(facts);
  return {
    templates,
    variables,
    audiences,
    cadence,
    evaluationPoint: pending ? { ...pending, label: EVALUATION_POINT_LABELS[pending.point] } : null,
    updates,
  };
}

export interface SentUpdateView {
  id: number;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  stage: string;
  text: string;
  public: boolean;
  audiences: { id: string; name: string }[];
  recipientCount: number;
  /** The public update (status page, portal) this sent, to correct it; null when it went to no public. */
  publicUpdateId: number | null;
  /** 1 as first sent, one more per correction of its public update. */
  revision: number;
  editedAt: Date | null;
  history: UpdateEditRow[];
}

async function listSentUpdates(db: Db, ticketId: string): Promise<SentUpdateView[]> {
  const rows = await listStakeholderUpdates(db, ticketId, 50);
  const [names, edits, comments] = await Promise.all([
    namesByIds(
      db,
      rows.flatMap((r) => (r.actorId ? [r.actorId] : [])),
    ),
    listUpdateEdits(db, [ticketId]),
    listPublicUpdateIds(db, ticketId),
  ]);
  const latest = latestEdits(edits);
  return rows.map((r) => {
    // The public comment a send wrote is appended just before its stakeholder_update event, at
    // the same instant, under the ticket's lock: the nearest earlier one at that instant.
    const publicUpdateId =
      r.data?.public === true ? (comments.filter((c) => c.id < r.id && c.at.getTime() === r.at.getTime()).at(-1)?.id ?? null) : null;
    const edit = publicUpdateId === null ? undefined : latest.get(publicUpdateId);
    return {
      id: r.id,
      at: r.at,
      actorId: r.actorId,
      actorName: r.actorId ? (names.get(r.actorId) ?? null) : null,
      stage: String(r.data?.stage ?? ''),
      text: edit?.to ?? r.body ?? '',
      public: r.data?.public === true,
      audiences: Array.isArray(r.data?.audiences) ? (r.data.audiences as { id: string; name: string }[]) : [],
      recipientCount: typeof r.data?.recipientCount === 'number' ? r.data.recipientCount : 0,
      publicUpdateId,
      revision: edit?.revision ?? 1,
      editedAt: edit?.at ?? null,
      history: edits.filter((e) => e.updateId === publicUpdateId),
    };
  });
}

export interface SendUpdateInput {
  stage: UpdateStage;
  text: string;
  audienceIds: string[];
}

function checkInput(input: SendUpdateInput): void {
  if (input.audienceIds.length === 0) {
    throw fieldError('validation_failed', 'audienceIds', 'tick at least one audience: an update sent to nobody is not an update');
  }
  const unknown = unknownVariables(input.text);
  if (unknown.length > 0) throw fieldError('validation_failed', 'text', unknownVariablesMessage(unknown));
}

async function listsOf(tx: Tx, audienceIds: string[]): Promise<AudienceRow[]> {
  const listIds = [...new Set(audienceIds.filter((id) => !isBuiltInAudience(id)))];
  const malformed = listIds.filter((id) => !/^[0-9a-f-]{36}$/i.test(id));
  const lists = malformed.length > 0 ? [] : await findAudiencesByIds(tx, listIds);
  const missing = listIds.filter((id) => !lists.some((l) => l.id === id));
  if (missing.length > 0) {
    throw fieldError(
      'validation_failed',
      'audienceIds',
      `no audience has the id ${missing.join(', ')}; the audiences are ${BUILT_IN_AUDIENCES.join(', ')} and the stakeholder lists (by id)`,
    );
  }
  return lists;
}

/** Sends one update to every audience ticked, in one transaction. */
export async function sendStakeholderUpdate(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  input: SendUpdateInput,
): Promise<SentUpdateView> {
  if (!isStaff(actor)) throw notFound('ticket');
  checkInput(input);
  return deps.db.transaction(async (tx) => {
    const ticket = refuseUnlessIncident(actor, await lockTicketForWrite(tx, actor, ticketId));
    if (ticket.state === 'closed' || ticket.state === 'cancelled') {
      throw new AppError('conflict', `${ticket.number} is ${ticket.state}: its updates have been sent`);
    }
    const now = deps.clock.now();
    const lists = await listsOf(tx, input.audienceIds);
    const isPublic = input.audienceIds.includes('public');
    // One after another: a transaction is one connection, and node-postgres refuses (from pg 9)
    // a statement sent while another is running on it.
    const reaches = [];
    for (const list of lists) reaches.push(await reachOfList(tx, list));
    const roleHolders = input.audienceIds.includes('role_holders') ? await currentRoleHolderIds(tx, ticket.id) : [];
    const userIds = [...new Set([...reaches.flatMap((r) => r.userIds), ...roleHolders])].filter((id) => id !== actor.id);
    const emails = [...new Set(reaches.flatMap((r) => r.emails))];
    const text = renderTemplate(input.text, await variablesOf(tx, ticket, now));
    const audiences = [
      ...BUILT_IN_AUDIENCES.filter((id) => input.audienceIds.includes(id)).map((id) => ({ id, name: BUILT_IN_AUDIENCE_LABELS[id] })),
      ...lists.map((l) => ({ id: l.id, name: l.name })),
    ];
    const recipientCount = userIds.length + emails.length + (isPublic ? await publicReach(tx, ticket) : 0);
    const events: ChangeEvent[] = [];
    if (isPublic) {
      // The resolved stage's public update is the final update the completion checklist asks for.
      events.push({
        type: 'comment',
        internal: false,
        body: text,
        data: { stage: input.stage, ...(input.stage === 'resolved' ? { finalUpdate: true } : {}) },
      });
    }
    events.push({
      type: 'stakeholder_update',
      internal: true,
      body: text,
      data: { stage: input.stage, public: isPublic, audiences, userIds, emails, recipientCount },
    });
    const firstResponse = isPublic && !ticket.firstResponseAt && actor.id !== ticket.requesterId;
    const { events: appended } = await applyTicketChange(tx, {
      before: ticket,
      patch: firstResponse ? { firstResponseAt: now } : {},
      actor,
      at: now,
      events,
      // Only a public update changes what the ticket shows (its conversation).
      ...(isPublic ? {} : { bumpsVersion: false }),
    });
    await mailAddresses(tx, ticket, emails, `[${ticket.number}] ${UPDATE_STAGE_LABELS[input.stage]}: ${ticket.title}`, text, now);
    const names = await namesByIds(tx, [actor.id]);
    const sent = appended[appended.length - 1];
    const publicUpdateId = isPublic ? appended[0].id : null;
    return {
      id: sent.id,
      at: now,
      actorId: actor.id,
      actorName: names.get(actor.id) ?? null,
      stage: input.stage,
      text,
      public: isPublic,
      audiences,
      recipientCount,
      publicUpdateId,
      revision: 1,
      editedAt: null,
      history: [],
    };
  });
}

/** Addresses outside Firebreak: a mail each through the notification outbox (delivered, retried, logged like every other). */
async function mailAddresses(tx: Tx, ticket: TicketRow, emails: string[], subject: string, text: string, now: Date): Promise<void> {
  if (emails.length === 0) return;
  const rows = await insertNotifications(
    tx,
    emails.map((address) => ({
      ticketId: ticket.id,
      userId: null,
      channel: 'email' as const,
      address,
      reason: 'stakeholder_update',
      payload: null,
      subject,
      bodyText: `${text}\n\n${ticket.number}: ${ticket.title}`,
      createdAt: now,
    })),
  );
  await scheduleJobs(
    tx,
    deliverJob,
    rows.map((n) => ({ payload: { notificationId: n.id }, runAt: now })),
    now,
  );
}

export interface PublicUpdateView {
  id: number;
  ticketId: string;
  at: Date;
  text: string;
  revision: number;
  editedAt: Date | null;
  history: UpdateEditRow[];
}

export interface EditPublicUpdateInput {
  text: string;
  revision: number;
  notifySubscribers: boolean;
}

/**
 * Corrects the text of a public update already sent (issue 15): the status page, its JSON, the
 * feeds and the portal show the new words marked "edited"; the words before stay on the desk's
 * timeline (who, when, from, to), which stays append-only. Subscribers hear of it again only
 * when the editor asks (the pipeline announces the correction then). `revision` is the one the
 * editor read: a correction by someone else since is refused, naming them.
 */
export async function editPublicUpdate(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  updateId: number,
  input: EditPublicUpdateInput,
): Promise<PublicUpdateView> {
  if (!isStaff(actor)) throw notFound('ticket');
  const text = input.text.trim();
  if (text === '') throw fieldError('validation_failed', 'text', 'the corrected text must not be empty');
  const unknown = unknownVariables(text);
  if (unknown.length > 0) throw fieldError('validation_failed', 'text', unknownVariablesMessage(unknown));
  return deps.db.transaction(async (tx) => {
    const ticket = refuseUnlessIncident(actor, await lockTicketForWrite(tx, actor, ticketId));
    const update = await findPublicUpdate(tx, updateId);
    if (!update) throw fieldError('not_found', 'updateId', `no public update has the id ${updateId}`);
    if (update.ticketId !== ticket.id) {
      throw fieldError('validation_failed', 'updateId', `update ${updateId} is not an update of ${ticket.number}`);
    }
    const edits = (await listUpdateEdits(tx, [ticket.id])).filter((e) => e.updateId === update.id);
    const last = edits[edits.length - 1];
    const current = last?.to ?? update.body;
    const revision = edits.length + 1;
    if (input.revision !== revision) {
      throw new AppError(
        'stale_version',
        `This update was corrected by ${last?.actorName ?? 'someone else'} at ${last ? utcWords(last.at) : 'an earlier time'} since you read it (you have revision ${input.revision}, it is at ${revision}). Reload it and try again.`,
        { extra: { currentRevision: revision, changedBy: last?.actorId ? { id: last.actorId, name: last.actorName } : null } },
      );
    }
    const now = deps.clock.now();
    if (text !== current) {
      await applyTicketChange(tx, {
        before: ticket,
        patch: {},
        actor,
        at: now,
        events: [
          {
            type: 'public_update_edited',
            internal: true,
            body: text,
            changes: [{ field: 'text', from: current, to: text }],
            data: { updateId: update.id, revision: revision + 1, notify: input.notifySubscribers },
          },
        ],
      });
    }
    const history = (await listUpdateEdits(tx, [ticket.id])).filter((e) => e.updateId === update.id);
    const latest = history[history.length - 1];
    return {
      id: update.id,
      ticketId: ticket.id,
      at: update.at,
      text: latest?.to ?? update.body,
      revision: history.length + 1,
      editedAt: latest?.at ?? null,
      history,
    };
  });
}
