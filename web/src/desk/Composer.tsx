import { useEffect, useRef, useState } from 'react';
import { humanMessage } from '../api/client';
import * as ticketApi from '../api/endpoints/tickets';
import { ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { AddCommentIn, TicketT } from '../api/types';
import { Button } from '../ui/kit';
import { useShortcuts } from '../ui/useShortcuts';

type Visibility = 'public' | 'internal';

/**
 * Reply to the requester or write a work note: the choice is explicit and the composer looks
 * different for each, so nobody sends an internal note to a customer by accident.
 * The draft is kept per ticket in this tab, so a reload or a lost connection does not lose it.
 */
export function Composer({ ticket, inserted }: { ticket: TicketT; inserted?: { text: string; n: number } }) {
  const draftKey = `firebreak.draft.${ticket.id}`;
  const [visibility, setVisibility] = useState<Visibility>('internal');
  const [body, setBody] = useState(() => sessionStorage.getItem(draftKey) ?? '');
  const comment = useApiMutation({
    mutationFn: (input: AddCommentIn) => ticketApi.comment(ticket.id, input),
    invalidates: ticketChanged(ticket.id),
  });
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (body) sessionStorage.setItem(draftKey, body);
    else sessionStorage.removeItem(draftKey);
  }, [body, draftKey]);

  // A link inserted from the suggested articles: appended to the draft as a public reply.
  useEffect(() => {
    if (!inserted) return;
    setVisibility('public');
    setBody((b) => (b.trim() ? `${b.trimEnd()}\n\n${inserted.text}` : inserted.text));
    area.current?.focus();
  }, [inserted]);

  // r: reply to the requester, n: work note.
  useShortcuts((e) => {
    if (e.key === 'r' || e.key === 'n') {
      e.preventDefault();
      setVisibility(e.key === 'r' ? 'public' : 'internal');
      area.current?.focus();
    }
  });

  const send = async () => {
    if (!body.trim()) return;
    if (await comment.run({ body, visibility })) setBody('');
  };

  const label =
    visibility === 'public' ? `Reply to ${ticket.requester?.name ?? 'the requester'} (they will see this)` : 'Work note (staff only)';
  return (
    <form
      className={`composer ${visibility}`}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <fieldset className="segmented" style={{ padding: 0, margin: '0 0 .5rem' }}>
        <legend className="visually-hidden">Who sees this</legend>
        <label className={visibility === 'public' ? 'on' : ''}>
          <input type="radio" name="visibility" checked={visibility === 'public'} onChange={() => setVisibility('public')} />
          Reply (public) <kbd className="kbd">r</kbd>
        </label>
        <label className={visibility === 'internal' ? 'on' : ''}>
          <input type="radio" name="visibility" checked={visibility === 'internal'} onChange={() => setVisibility('internal')} />
          Work note (internal) <kbd className="kbd">n</kbd>
        </label>
      </fieldset>
      <label htmlFor="composer-body" className="visually-hidden">
        {label}
      </label>
      <textarea
        id="composer-body"
        ref={area}
        value={body}
        placeholder={label}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            send();
          }
        }}
      />
      {comment.error ? (
        <p className="field-error" role="alert">
          {comment.fieldError('body') ?? humanMessage(comment.error)}
        </p>
      ) : null}
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={comment.busy} disabled={!body.trim()}>
          {visibility === 'public' ? 'Send reply' : 'Add work note'}
        </Button>
        <span className="muted">
          <kbd className="kbd">Ctrl</kbd>+<kbd className="kbd">Enter</kbd> to send
        </span>
      </div>
    </form>
  );
}
