import { fieldError, notFound } from '../../../core/errors.js';
import { pastTimeProblem } from '../../../core/incident-work.js';
import type { Actor } from '../../../core/permissions.js';
import type { Db, Tx } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { incidentTaskOverdueJob } from '../jobs/specs/incident-task-overdue.job-spec.js';
import { findTask, type IncidentTaskRow, insertTask, listTasks, namesOf, saveTask } from '../repositories/major-incidents.repository.js';
import type { ServiceDeps } from './deps.js';
import { requireActiveUsers } from './directory.service.js';
import { checkVersion, idempotentCreate, lockMajorIncident, noteOnIncident, readMajorIncident } from './major-incident-response.helpers.js';

/**
 * Tasks (issue 14 item 6): actions handed out during a major incident — a title, an owner, a due
 * time, done. Each due time sets a durable timer (`incident_task.overdue`); a task still not done
 * then is flagged to the incident manager (`incident-task-overdue.service.ts`).
 */

export interface TaskView extends IncidentTaskRow {
  ownerName: string | null;
}

async function viewsOf(db: Db, rows: IncidentTaskRow[]): Promise<TaskView[]> {
  const names = await namesOf(
    db,
    rows.flatMap((r) => (r.ownerId ? [r.ownerId] : [])),
  );
  return rows.map((r) => ({ ...r, ownerName: r.ownerId ? (names.get(r.ownerId) ?? null) : null }));
}

export async function listTasksOf(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<TaskView[]> {
  await readMajorIncident(deps.db, actor, ticketId);
  return viewsOf(deps.db, await listTasks(deps.db, ticketId));
}

function checkDue(dueAt: Date | null, now: Date): void {
  const problem = dueAt ? pastTimeProblem(dueAt, now) : null;
  if (problem) throw fieldError('unprocessable', 'dueAt', problem);
}

async function scheduleOverdue(tx: Tx, task: IncidentTaskRow, now: Date): Promise<void> {
  if (!task.dueAt || task.doneAt) return;
  await scheduleJob(
    tx,
    incidentTaskOverdueJob,
    { ticketId: task.ticketId, taskId: task.id, dueAt: task.dueAt.toISOString() },
    { runAt: task.dueAt, now },
  );
}

export async function addTask(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  input: { title: string; ownerId: string | null; dueAt: string | null },
  idempotencyKey?: string,
): Promise<TaskView> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockMajorIncident(tx, actor, ticketId);
    const now = deps.clock.now();
    const made = await idempotentCreate(
      tx,
      actor,
      now,
      idempotencyKey,
      { ticketId, ...input },
      (id) => findTask(tx, ticketId, id),
      async () => {
        if (input.ownerId) await requireActiveUsers(tx, [input.ownerId], 'agent', 'ownerId');
        const dueAt = input.dueAt ? new Date(input.dueAt) : null;
        checkDue(dueAt, now);
        const task = await insertTask(tx, {
          ticketId,
          title: input.title,
          ownerId: input.ownerId,
          dueAt,
          createdAt: now,
          createdById: actor.id,
          updatedAt: now,
        });
        await scheduleOverdue(tx, task, now);
        await noteOnIncident(tx, ticket, actor, now, [
          { type: 'task_added', body: `Task: ${task.title}`, data: { taskId: task.id, ownerId: task.ownerId, dueAt: input.dueAt } },
        ]);
        return task;
      },
    );
    return (await viewsOf(tx, [made]))[0];
  });
}

export async function updateTask(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  id: string,
  input: { title?: string; ownerId?: string | null; dueAt?: string | null; done?: boolean },
  expectedVersion?: number,
): Promise<TaskView> {
  return deps.db.transaction(async (tx) => {
    const ticket = await lockMajorIncident(tx, actor, ticketId);
    const task = await findTask(tx, ticketId, id);
    if (!task) throw notFound('task');
    checkVersion('task', task.version, expectedVersion);
    const now = deps.clock.now();
    if (input.ownerId) await requireActiveUsers(tx, [input.ownerId], 'agent', 'ownerId');
    const dueAt = input.dueAt === undefined ? task.dueAt : input.dueAt ? new Date(input.dueAt) : null;
    const dueMoved = (dueAt?.getTime() ?? null) !== (task.dueAt?.getTime() ?? null);
    if (dueMoved) checkDue(dueAt, now);
    const doneAt = input.done === undefined ? task.doneAt : input.done ? (task.doneAt ?? now) : null;
    const saved = await saveTask(
      tx,
      task.id,
      {
        title: input.title ?? task.title,
        ownerId: input.ownerId === undefined ? task.ownerId : input.ownerId,
        dueAt,
        doneAt,
        doneById: doneAt ? (task.doneById ?? actor.id) : null,
        updatedAt: now,
      },
      task.version,
    );
    // A new due time, or a task reopened, is watched again; the old timer finds its due time moved.
    if (dueMoved || (task.doneAt && !doneAt)) await scheduleOverdue(tx, saved, now);
    const body =
      !task.doneAt && doneAt
        ? `Task done: ${saved.title}`
        : task.doneAt && !doneAt
          ? `Task reopened: ${saved.title}`
          : `Task changed: ${saved.title}`;
    await noteOnIncident(tx, ticket, actor, now, [
      {
        type: 'task_updated',
        body,
        data: { taskId: task.id, done: doneAt !== null, ownerId: saved.ownerId, dueAt: saved.dueAt?.toISOString() ?? null },
      },
    ]);
    return (await viewsOf(tx, [saved]))[0];
  });
}
