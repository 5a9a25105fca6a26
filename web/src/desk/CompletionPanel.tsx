import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { humanMessage } from '../api/client';
import * as completionApi from '../api/endpoints/completion';
import * as ticketApi from '../api/endpoints/tickets';
import { keys, ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { MeT, TicketT } from '../api/types';
import { Banner, Button, Field, When } from '../ui/kit';
import { fromZonedInput, toZonedInput } from '../ui/zoned-time';

type Form = null | 'final' | 'measure' | 'review' | 'override';

/**
 * "Closing properly" on an incident's page: what its completion checklist still needs, and the
 * forms that record it. Shown when a checklist applies (major incidents by default); an admin may
 * close without it, saying why.
 */
export function CompletionPanel({ ticket, me }: { ticket: TicketT; me: MeT }) {
  const completion = useQuery({
    queryKey: keys.ticket.completion(ticket.id),
    queryFn: () => completionApi.get(ticket.id),
    enabled: ticket.kind === 'incident',
  });
  const [form, setForm] = useState<Form>(null);
  const record = useApiMutation({
    mutationFn: (send: () => Promise<unknown>) => send(),
    invalidates: ticketChanged(ticket.id),
  });
  const c = completion.data;
  if (!c || c.items.length === 0) return null;
  const final = ['closed', 'cancelled'].includes(ticket.state);
  // A saved form closes; one the person opened while it was saving stays open.
  const save = async (sent: Form, send: () => Promise<unknown>) => {
    if ((await record.run(send)) !== undefined) setForm((open) => (open === sent ? null : open));
  };
  const open = (f: Form) => {
    record.reset();
    setForm(f);
  };
  const done = c.items.filter((i) => i.done).length;

  return (
    <section className="card" aria-labelledby="completion-title">
      <h2 id="completion-title">Closing properly</h2>
      <p className="muted">
        {c.complete
          ? 'Everything is done: the incident may be closed.'
          : `${done} of ${c.items.length} done. It cannot be closed until all are.`}
      </p>
      <ul className="plain-list checklist">
        {c.items.map((item) => (
          <li key={item.key} className={item.done ? 'checklist-done' : 'checklist-open'}>
            {item.check === 'manual' && !final ? (
              <label className="row">
                <input
                  type="checkbox"
                  checked={item.done}
                  disabled={record.busy}
                  onChange={() => save(null, () => completionApi.tick(ticket.id, item.key, !item.done))}
                />
                {item.label}
              </label>
            ) : (
              <span className="row">
                <span aria-hidden="true" className="checklist-mark">
                  {item.done ? '✓' : '○'}
                </span>
                <span>
                  {item.label}
                  <span className="visually-hidden">{item.done ? ' (done)' : ' (not done)'}</span>
                </span>
              </span>
            )}
            {!item.done && <span className="field-hint">Done when {item.hint}.</span>}
          </li>
        ))}
      </ul>
      {c.preventiveMeasures.length > 0 && (
        <>
          <h3>Preventive measures</h3>
          <ul className="plain-list">
            {c.preventiveMeasures.map((m) => (
              <li key={m.at + m.description}>
                {m.description}{' '}
                <span className="muted">
                  · <When at={m.at} />
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {c.reviewScheduledFor && (
        <p>
          Review:{' '}
          <strong>
            {new Date(c.reviewScheduledFor).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: me.timeZone })}
          </strong>
        </p>
      )}
      {record.error && !record.hasFieldErrors ? <Banner tone="danger">{humanMessage(record.error)}</Banner> : null}
      {!final && (
        <div className="actions">
          {ticket.state !== 'closed' && <Button onClick={() => open('final')}>Send the final update…</Button>}
          <Button onClick={() => open('measure')}>Record a preventive measure…</Button>
          <Button onClick={() => open('review')}>{c.reviewScheduledFor ? 'Move the review…' : 'Schedule the review…'}</Button>
          {me.role === 'admin' && ticket.state === 'resolved' && !c.complete && (
            <Button tone="danger" onClick={() => open('override')}>
              Close without it…
            </Button>
          )}
        </div>
      )}
      {form === 'final' && (
        <TextForm
          label="Final update"
          hint="Public: the requester and everyone following hear it. Say what happened, what was done, and that it is over."
          submit="Send"
          error={record.fieldError('body')}
          busy={record.busy}
          onCancel={() => setForm(null)}
          onSubmit={(text) => save('final', () => completionApi.finalUpdate(ticket.id, text))}
        />
      )}
      {form === 'measure' && (
        <TextForm
          label="Preventive measure"
          hint="What will stop this from happening again (internal)."
          submit="Record"
          error={record.fieldError('description')}
          busy={record.busy}
          onCancel={() => setForm(null)}
          onSubmit={(text) => save('measure', () => completionApi.preventiveMeasure(ticket.id, text))}
        />
      )}
      {form === 'review' && (
        <ReviewForm
          timeZone={me.timeZone}
          error={record.fieldError('at')}
          busy={record.busy}
          onCancel={() => setForm(null)}
          onSubmit={(at) => save('review', () => completionApi.scheduleReview(ticket.id, at))}
        />
      )}
      {form === 'override' && (
        <TextForm
          label="Why close it without the checklist?"
          hint={`Recorded on the timeline with what was skipped: ${c.items
            .filter((i) => !i.done)
            .map((i) => i.label)
            .join(', ')}.`}
          submit="Close the incident"
          error={record.fieldError('checklistOverrideReason')}
          busy={record.busy}
          onCancel={() => setForm(null)}
          onSubmit={(reason) =>
            save('override', () => ticketApi.transition(ticket.id, ticket.version, { to: 'closed', checklistOverrideReason: reason }))
          }
        />
      )}
    </section>
  );
}

function TextForm(props: {
  label: string;
  hint: string;
  submit: string;
  error?: string;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (text: string) => void;
}) {
  const [text, setText] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(text);
      }}
    >
      <Field label={props.label} hint={props.hint} error={props.error}>
        {(p) => <textarea {...p} value={text} onChange={(e) => setText(e.target.value)} required />}
      </Field>
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={props.busy}>
          {props.submit}
        </Button>
        <Button onClick={props.onCancel}>Back</Button>
      </div>
    </form>
  );
}

function ReviewForm(props: { timeZone: string; error?: string; busy: boolean; onCancel: () => void; onSubmit: (at: string) => void }) {
  const [value, setValue] = useState(() => toZonedInput(new Date(Date.now() + 2 * 86_400_000), props.timeZone));
  const [invalid, setInvalid] = useState<string | undefined>();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const at = fromZonedInput(value, props.timeZone);
        if (!at) return setInvalid('Choose a date and a time');
        setInvalid(undefined);
        props.onSubmit(at.toISOString());
      }}
    >
      <Field label="Post-incident review" hint={`In your time zone (${props.timeZone}).`} error={invalid ?? props.error}>
        {(p) => <input {...p} type="datetime-local" value={value} onChange={(e) => setValue(e.target.value)} required />}
      </Field>
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={props.busy}>
          Schedule
        </Button>
        <Button onClick={props.onCancel}>Back</Button>
      </div>
    </form>
  );
}
