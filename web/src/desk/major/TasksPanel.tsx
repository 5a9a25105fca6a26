import { useRef, useState } from 'react';
import { humanMessage } from '../../api/client';
import * as api from '../../api/endpoints/incident-response';
import { keys } from '../../api/keys';
import { useIncidentTasks } from '../../api/major-incident-hooks';
import { useApiMutation } from '../../api/mutation';
import type { IncidentTaskT, TicketT } from '../../api/types';
import { dateTime } from '../../ui/format';
import { Banner, Button, Field, Loading } from '../../ui/kit';

type Staff = { id: string; name: string }[];

/** A `datetime-local` value (the person's own time) as an instant, or null when empty. */
export function localToIso(value: string): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** The actions handed out during the incident; overdue ones stand out (and were flagged to the incident manager). */
export function TasksPanel({ ticket, staff }: { ticket: TicketT; staff: Staff }) {
  const tasks = useIncidentTasks(ticket.id);
  const key = useRef(crypto.randomUUID());
  const [title, setTitle] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [due, setDue] = useState('');
  const invalidates = [keys.ticket.response(ticket.id), keys.ticket.timeline(ticket.id)];
  const add = useApiMutation({
    mutationFn: () => api.addTask(ticket.id, { title, ownerId: ownerId || null, dueAt: localToIso(due) }, key.current),
    invalidates,
    onSuccess: () => {
      key.current = crypto.randomUUID();
      setTitle('');
      setDue('');
    },
  });
  const toggle = useApiMutation({
    mutationFn: (task: IncidentTaskT) => api.updateTask(ticket.id, task.id, task.version, { done: !task.done }),
    invalidates,
    refreshOnError: true,
  });
  const active = !['closed', 'cancelled'].includes(ticket.state);
  return (
    <section className="card" aria-labelledby="tasks-title">
      <h2 id="tasks-title">Tasks</h2>
      {tasks.isPending ? (
        <Loading what="the tasks" />
      ) : (tasks.data?.items.length ?? 0) === 0 ? (
        <p className="muted">No task yet.</p>
      ) : (
        <ul className="plain-list task-list">
          {tasks.data?.items.map((task) => (
            <li key={task.id} className={`task ${task.overdue ? 'task-overdue' : ''}`}>
              <label className="row">
                <input type="checkbox" checked={task.done} disabled={!active || toggle.busy} onChange={() => toggle.run(task)} />
                <span className={task.done ? 'task-done' : ''}>{task.title}</span>
              </label>
              <p className="muted">
                {task.owner?.name ?? 'Nobody yet'}
                {task.dueAt ? ` · due ${dateTime(task.dueAt)}` : ''}
                {task.overdue ? (
                  <>
                    {' '}
                    <span className="badge badge-overdue">Overdue</span>
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
      {toggle.error ? <Banner tone="danger">{humanMessage(toggle.error)}</Banner> : null}
      {active && (
        <form
          className="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            add.run();
          }}
        >
          <Field label="New task" error={add.fieldError('title')}>
            {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} />}
          </Field>
          <Field label="Owner" error={add.fieldError('ownerId')}>
            {(p) => (
              <select {...p} value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
                <option value="">Nobody yet</option>
                {staff.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Due" error={add.fieldError('dueAt')}>
            {(p) => <input {...p} type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />}
          </Field>
          <div className="form-actions-inline">
            <Button tone="primary" type="submit" busy={add.busy} disabled={!title.trim()}>
              Add task
            </Button>
          </div>
          {add.error && !add.hasFieldErrors ? <Banner tone="danger">{humanMessage(add.error)}</Banner> : null}
        </form>
      )}
    </section>
  );
}
