import { useRef, useState } from 'react';
import { humanMessage } from '../../api/client';
import * as api from '../../api/endpoints/incident-response';
import { keys } from '../../api/keys';
import { useMeetings } from '../../api/major-incident-hooks';
import { useApiMutation } from '../../api/mutation';
import type { MeetingT, TicketT } from '../../api/types';
import { dateTime } from '../../ui/format';
import { Banner, Button, Field, Loading } from '../../ui/kit';
import { localToIso } from './TasksPanel';

type Staff = { id: string; name: string }[];

/** Escalation and resolution meetings: when, where, who, agenda; notes and decisions; started and ended. */
export function MeetingsPanel({ ticket, staff }: { ticket: TicketT; staff: Staff }) {
  const meetings = useMeetings(ticket.id);
  const active = !['closed', 'cancelled'].includes(ticket.state);
  return (
    <section className="card" aria-labelledby="meetings-title">
      <h2 id="meetings-title">Meetings</h2>
      {meetings.isPending ? (
        <Loading what="the meetings" />
      ) : (meetings.data?.items.length ?? 0) === 0 ? (
        <p className="muted">No meeting yet.</p>
      ) : (
        <ul className="plain-list meeting-list">
          {meetings.data?.items.map((m) => (
            <MeetingItem key={m.id} ticket={ticket} meeting={m} active={active} />
          ))}
        </ul>
      )}
      {active && <ScheduleMeeting ticket={ticket} staff={staff} />}
    </section>
  );
}

function MeetingItem({ ticket, meeting: m, active }: { ticket: TicketT; meeting: MeetingT; active: boolean }) {
  const [decisions, setDecisions] = useState(m.decisions);
  const invalidates = [keys.ticket.response(ticket.id), keys.ticket.timeline(ticket.id)];
  // Resolves once the meeting was read again, so an edit right after it is made on the new version.
  const move = useApiMutation({
    mutationFn: (action: 'start' | 'end') => api.moveMeeting(ticket.id, m.id, action),
    invalidates,
    awaitRefresh: true,
  });
  const save = useApiMutation({
    mutationFn: () => api.updateMeeting(ticket.id, m.id, m.version, { decisions }),
    invalidates,
    refreshOnError: true,
    awaitRefresh: true,
  });
  const status = m.endedAt ? 'Ended' : m.startedAt ? 'In progress' : 'Scheduled';
  return (
    <li className="meeting">
      <div className="row">
        <strong>{m.title}</strong>
        <span className="badge">{status}</span>
      </div>
      <p className="muted">
        {dateTime(m.startsAt)} · {m.durationMinutes} min
        {m.attendees.length > 0 ? ` · ${m.attendees.map((a) => a.name).join(', ')}` : ''}
      </p>
      {m.link && (
        <p>
          <a href={m.link} target="_blank" rel="noreferrer noopener">
            Join the bridge
          </a>
        </p>
      )}
      {m.agenda && <p className="meeting-agenda">{m.agenda}</p>}
      {active && (
        <div className="row">
          {!m.startedAt && !m.endedAt && (
            <Button busy={move.busy} onClick={() => move.run('start')}>
              Start meeting
            </Button>
          )}
          {m.startedAt && !m.endedAt && (
            <Button busy={move.busy} onClick={() => move.run('end')}>
              End meeting
            </Button>
          )}
        </div>
      )}
      {move.error ? <Banner tone="danger">{humanMessage(move.error)}</Banner> : null}
      {active ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            save.run();
          }}
        >
          <Field label="Decisions" error={save.fieldError('decisions')}>
            {(p) => <textarea {...p} rows={2} value={decisions} onChange={(e) => setDecisions(e.target.value)} />}
          </Field>
          <div>
            <Button type="submit" busy={save.busy} disabled={decisions === m.decisions}>
              Save decisions
            </Button>
          </div>
          {save.error && !save.hasFieldErrors ? <Banner tone="danger">{humanMessage(save.error)}</Banner> : null}
        </form>
      ) : (
        m.decisions && <p>Decisions: {m.decisions}</p>
      )}
    </li>
  );
}

function ScheduleMeeting({ ticket, staff }: { ticket: TicketT; staff: Staff }) {
  const key = useRef(crypto.randomUUID());
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('Resolution meeting');
  const [startsAt, setStartsAt] = useState('');
  const [link, setLink] = useState('');
  const [attendeeIds, setAttendeeIds] = useState<string[]>([]);
  const [agenda, setAgenda] = useState('');
  const schedule = useApiMutation({
    mutationFn: () =>
      api.scheduleMeeting(
        ticket.id,
        { title, startsAt: localToIso(startsAt) ?? '', link: link.trim() || null, attendeeIds, agenda },
        key.current,
      ),
    invalidates: [keys.ticket.response(ticket.id), keys.ticket.timeline(ticket.id)],
    onSuccess: () => {
      key.current = crypto.randomUUID();
      setOpen(false);
    },
  });
  if (!open) return <Button onClick={() => setOpen(true)}>Schedule a meeting</Button>;
  return (
    <form
      className="form-grid schedule-meeting"
      onSubmit={(e) => {
        e.preventDefault();
        schedule.run();
      }}
    >
      <Field label="Title" error={schedule.fieldError('title')}>
        {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label="Starts" error={schedule.fieldError('startsAt')}>
        {(p) => <input {...p} type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />}
      </Field>
      <Field label="Bridge link" hint="The call everyone joins, https://…" error={schedule.fieldError('link')} className="field-wide">
        {(p) => <input {...p} type="url" value={link} onChange={(e) => setLink(e.target.value)} />}
      </Field>
      <fieldset className="attendees field-wide">
        <legend>Invite (by e-mail, with a calendar invitation)</legend>
        {staff.map((s) => (
          <label key={s.id} className="row">
            <input
              type="checkbox"
              checked={attendeeIds.includes(s.id)}
              onChange={(e) => setAttendeeIds(e.target.checked ? [...attendeeIds, s.id] : attendeeIds.filter((a) => a !== s.id))}
            />
            {s.name}
          </label>
        ))}
      </fieldset>
      <Field label="Agenda" error={schedule.fieldError('agenda')} className="field-wide">
        {(p) => <textarea {...p} rows={2} value={agenda} onChange={(e) => setAgenda(e.target.value)} />}
      </Field>
      <div className="row field-wide">
        <Button tone="primary" type="submit" busy={schedule.busy} disabled={!title.trim() || !startsAt}>
          Schedule
        </Button>
        <Button onClick={() => setOpen(false)}>Cancel</Button>
      </div>
      {schedule.error && !schedule.hasFieldErrors ? <Banner tone="danger">{humanMessage(schedule.error)}</Banner> : null}
    </form>
  );
}
