import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { humanMessage } from '../api/client';
import * as cannedApi from '../api/endpoints/canned-replies';
import * as ticketApi from '../api/endpoints/tickets';
import { ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { AddCommentIn, TicketT } from '../api/types';
import { Button } from '../ui/kit';
import { useShortcuts } from '../ui/useShortcuts';
import { CannedReplyMenu, matchingReplies } from './CannedReplyMenu';

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
  // Canned replies: `/` at the start of the box (or the c shortcut) opens the menu; a picked reply
  // with field changes is remembered so sending applies them with it (one call, one transaction).
  const replies = useQuery({ queryKey: cannedApi.cannedRepliesKey, queryFn: cannedApi.list });
  const [dismissed, setDismissed] = useState(false);
  const [active, setActive] = useState(0);
  const [macro, setMacro] = useState<cannedApi.CannedReplyT | null>(null);
  const menuId = useId();
  const menuOpen = body.startsWith('/') && !body.includes('\n') && !dismissed;
  const matches = menuOpen ? matchingReplies(replies.data?.items ?? [], body.slice(1)) : [];
  // A text that merely starts with a slash ("/var is full") matches nothing and sends as written.
  const choosing = menuOpen && matches.length > 0;
  const insert = useApiMutation({
    mutationFn: (reply: cannedApi.CannedReplyT) => cannedApi.preview(ticket.id, reply.id),
  });
  const applyReply = useApiMutation({
    mutationFn: (vars: { replyId: string; body: string }) => cannedApi.apply(ticket.id, ticket.version, vars.replyId, vars.body),
    invalidates: ticketChanged(ticket.id),
  });
  const pick = async (reply: cannedApi.CannedReplyT) => {
    const rendered = await insert.run(reply);
    if (!rendered) return;
    setBody(rendered.body);
    setVisibility(rendered.visibility);
    setMacro(rendered.changesSummary ? reply : null);
    area.current?.focus();
  };

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

  // r: reply to the requester, n: work note, c: a canned reply.
  useShortcuts((e) => {
    if (e.key === 'r' || e.key === 'n') {
      e.preventDefault();
      setVisibility(e.key === 'r' ? 'public' : 'internal');
      area.current?.focus();
    }
    if (e.key === 'c') {
      e.preventDefault();
      if (!body.trim()) setBody('/');
      setDismissed(false);
      area.current?.focus();
    }
  });

  const send = async () => {
    if (!body.trim() || choosing) return;
    if (macro) {
      if (await applyReply.run({ replyId: macro.id, body })) {
        setBody('');
        setMacro(null);
      }
      return;
    }
    if (await comment.run({ body, visibility })) setBody('');
  };
  const error = applyReply.error ?? comment.error ?? insert.error;

  // A macro sends as it was written (reply or note): choosing the other kind sends plain text instead.
  const changeVisibility = (v: Visibility) => {
    setVisibility(v);
    if (macro && v !== macro.visibility) setMacro(null);
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
          <input type="radio" name="visibility" checked={visibility === 'public'} onChange={() => changeVisibility('public')} />
          Reply (public) <kbd className="kbd">r</kbd>
        </label>
        <label className={visibility === 'internal' ? 'on' : ''}>
          <input type="radio" name="visibility" checked={visibility === 'internal'} onChange={() => changeVisibility('internal')} />
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
        placeholder={`${label} — type / for a canned reply`}
        aria-controls={menuOpen && matches.length > 0 ? menuId : undefined}
        aria-activedescendant={menuOpen && matches[active] ? `${menuId}-${matches[active].id}` : undefined}
        onChange={(e) => {
          setBody(e.target.value);
          setActive(0);
          if (!e.target.value.startsWith('/')) setDismissed(false);
        }}
        onKeyDown={(e) => {
          if (menuOpen && matches.length > 0 && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
            e.preventDefault();
            setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
            return;
          }
          if (menuOpen && e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
            e.preventDefault();
            if (matches[active]) pick(matches[active]);
            return;
          }
          if (menuOpen && e.key === 'Escape') {
            e.preventDefault();
            setDismissed(true);
            return;
          }
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            send();
          }
        }}
      />
      {menuOpen ? <CannedReplyMenu id={menuId} items={matches} active={active} onPick={pick} /> : null}
      {macro ? (
        <p className="canned-applies" role="status">
          Sending also applies “{macro.name}”: {macro.changesSummary}.{' '}
          <button type="button" className="link-button" onClick={() => setMacro(null)}>
            Send without the changes
          </button>
        </p>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {comment.fieldError('body') ?? applyReply.fieldError('body') ?? humanMessage(error)}
        </p>
      ) : null}
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={comment.busy || applyReply.busy} disabled={!body.trim() || choosing}>
          {visibility === 'public' ? 'Send reply' : 'Add work note'}
        </Button>
        <span className="muted">
          <kbd className="kbd">Ctrl</kbd>+<kbd className="kbd">Enter</kbd> to send · <kbd className="kbd">/</kbd> canned replies (
          <Link to="/desk/canned-replies">manage</Link>)
        </span>
      </div>
    </form>
  );
}
