import type { CannedReplyT } from '../api/endpoints/canned-replies';

/**
 * The menu the composer opens when a reply starts with `/`: canned replies whose name holds what
 * follows the slash. Focus stays in the reply box (aria-activedescendant), so arrows move, Enter
 * inserts and Escape closes without the hand leaving the keyboard.
 */
export function CannedReplyMenu({
  id,
  items,
  active,
  onPick,
}: {
  id: string;
  items: CannedReplyT[];
  active: number;
  onPick: (reply: CannedReplyT) => void;
}) {
  return (
    <div className="canned-menu">
      <p className="visually-hidden" aria-live="polite">
        {items.length === 0
          ? 'No canned reply matches'
          : `${items.length} canned ${items.length === 1 ? 'reply' : 'replies'}: arrow keys to choose, Enter to insert, Escape to close`}
      </p>
      {items.length === 0 ? (
        <p className="muted canned-empty">No canned reply matches. Keep typing to write your own, or press Escape.</p>
      ) : (
        <div id={id} role="listbox" aria-label="Canned replies" className="canned-list">
          {items.map((reply, i) => (
            <div
              key={reply.id}
              id={`${id}-${reply.id}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              // mousedown, not click: the reply box keeps focus.
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(reply);
              }}
            >
              <span className="canned-name">{reply.name}</span>
              <span className="canned-meta">
                {reply.scope === 'personal' ? 'Personal' : 'Shared'} · {reply.visibility === 'public' ? 'reply' : 'work note'}
                {reply.changesSummary ? ` · ${reply.changesSummary}` : ''}
              </span>
              <span className="canned-body">{reply.body.split('\n')[0]}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** The replies a `/filter` matches, by name (case and accents aside). */
export function matchingReplies(replies: CannedReplyT[], filter: string): CannedReplyT[] {
  const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const wanted = fold(filter.trim());
  return replies.filter((r) => fold(r.name).includes(wanted)).slice(0, 8);
}
