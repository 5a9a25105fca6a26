import { useState } from 'react';
import {
  renderTemplate,
  type TemplateVariable,
  UPDATE_STAGE_LABELS,
  UPDATE_STAGES,
  type UpdateStage,
  unknownVariables,
  unknownVariablesMessage,
} from '../../../../core/stakeholder-updates';
import { humanMessage } from '../../api/client';
import * as api from '../../api/endpoints/stakeholder-updates';
import { ticketChanged } from '../../api/keys';
import { useApiMutation } from '../../api/mutation';
import type { TicketT } from '../../api/types';
import { Banner, Button, Field } from '../../ui/kit';

const STAGE_CHOICES = UPDATE_STAGES.map((s) => ({ value: s, label: UPDATE_STAGE_LABELS[s] }));

/**
 * Write one update from a template, tick its audiences, see what each channel will show, send
 * once. Variables are filled in the previews here and by the server on sending (the same rule,
 * from core), so what is previewed is what is sent.
 */
export function UpdateComposerForm({ ticket, composer, onSent }: { ticket: TicketT; composer: api.ComposerT; onSent: () => void }) {
  const [stage, setStage] = useState<UpdateStage>(ticket.state === 'resolved' ? 'resolved' : 'investigating');
  const [text, setText] = useState(composer.templates[stage]);
  const [edited, setEdited] = useState(false);
  const [ticked, setTicked] = useState<Set<string>>(() => new Set(composer.audiences.filter((a) => a.proposed).map((a) => a.id)));
  const send = useApiMutation({
    mutationFn: () => api.send(ticket.id, { stage, text, audienceIds: [...ticked] }),
    invalidates: ticketChanged(ticket.id),
    onSuccess: () => {
      setEdited(false);
      onSent();
    },
  });

  const chooseStage = (next: UpdateStage) => {
    setStage(next);
    // A template replaces the text only while the person has not written their own.
    if (!edited) setText(composer.templates[next]);
  };
  const toggle = (id: string) =>
    setTicked((now) => {
      const next = new Set(now);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const unknown = unknownVariables(text);
  const rendered = renderTemplate(text, composer.variables as Record<TemplateVariable, string>);
  const isPublic = ticked.has('public');
  const others = composer.audiences.filter((a) => a.id !== 'public' && ticked.has(a.id));
  const subject = `[${ticket.number}] ${UPDATE_STAGE_LABELS[stage]}: ${ticket.title}`;

  return (
    <form
      className="stack update-composer"
      onSubmit={(e) => {
        e.preventDefault();
        send.run();
      }}
    >
      <Field label="Stage" error={send.fieldError('stage')}>
        {(p) => (
          <select {...p} value={stage} onChange={(e) => chooseStage(e.target.value as UpdateStage)}>
            {STAGE_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Update"
        hint="Words in braces are filled in when it is sent: {service}, {started_at}, {next_update_at}, {priority}, {incident_number}, {title}."
        error={send.fieldError('text') ?? (unknown.length > 0 ? unknownVariablesMessage(unknown) : undefined)}
      >
        {(p) => (
          <textarea
            {...p}
            rows={5}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setEdited(true);
            }}
          />
        )}
      </Field>
      <fieldset className={`audiences ${send.fieldError('audienceIds') ? 'field-invalid' : ''}`}>
        <legend>Send to</legend>
        {composer.audiences.map((a) => (
          <label key={a.id} className="row audience">
            <input type="checkbox" checked={ticked.has(a.id)} onChange={() => toggle(a.id)} />
            <span>
              {a.name} <span className="muted">({a.recipientCount === 1 ? '1 person' : `${a.recipientCount} people or addresses`})</span>
              {a.proposed ? <span className="badge badge-proposed">Proposed</span> : null}
            </span>
          </label>
        ))}
        {send.fieldError('audienceIds') ? (
          <p className="field-error" role="alert">
            {send.fieldError('audienceIds')}
          </p>
        ) : null}
      </fieldset>
      <section aria-label="Preview" className="previews">
        <h3>Preview</h3>
        {ticked.size === 0 ? <p className="muted">Tick at least one audience to see what they will get.</p> : null}
        {isPublic ? (
          <div className="preview" data-testid="preview-public">
            <h4>Status page and requester portal</h4>
            <p className="preview-meta">
              {UPDATE_STAGE_LABELS[stage]} — {ticket.title}
            </p>
            <p className="preview-text">{rendered}</p>
          </div>
        ) : null}
        {others.length > 0 ? (
          <div className="preview" data-testid="preview-email">
            <h4>E-mail to {others.map((a) => a.name).join(', ')}</h4>
            <p className="preview-meta">Subject: {subject}</p>
            <p className="preview-text">{rendered}</p>
          </div>
        ) : null}
        {others.length > 0 ? (
          <div className="preview" data-testid="preview-in-app">
            <h4>In Firebreak (people with an account)</h4>
            <p className="preview-meta">
              {ticket.number} · An update on an incident: {ticket.title}
            </p>
            <p className="preview-text">{rendered}</p>
          </div>
        ) : null}
      </section>
      {send.error && !send.hasFieldErrors ? <Banner tone="danger">{humanMessage(send.error)}</Banner> : null}
      <div className="row">
        <Button tone="primary" type="submit" busy={send.busy} disabled={!text.trim() || unknown.length > 0}>
          Send update
        </Button>
      </div>
    </form>
  );
}
