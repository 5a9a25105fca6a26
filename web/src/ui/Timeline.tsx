import type { TimelineEventT } from '../api/types';
import { When } from './kit';
import { type Audience, actorName, summary } from './timeline-words';

/**
 * The ticket's history. Text people wrote is shown as text (React escapes it), never as HTML.
 * Work notes look different from replies, and say who they are for.
 */
export function Timeline({
  events,
  names = new Map(),
  audience = 'staff',
}: {
  events: TimelineEventT[];
  names?: Map<string, string>;
  audience?: Audience;
}) {
  if (events.length === 0) return <p className="muted">Nothing has happened yet.</p>;
  return (
    <ol className="timeline" aria-label="Timeline">
      {events.map((e) => {
        const kind = e.type === 'comment' ? 'comment' : e.type === 'work_note' ? 'work-note' : 'system';
        return (
          <li key={e.id} className={kind} data-event-type={e.type}>
            <div className="entry-head">
              <span className="who">{actorName(e, audience)}</span>
              <span className={kind === 'system' ? 'system' : ''}>{summary(e, names, audience)}</span>
              {e.type === 'work_note' && <span className="tag tag-note">Internal · staff only</span>}
              {e.type === 'comment' && <span className="tag tag-public">Public</span>}
              <span className="muted">
                <When at={e.at} />
              </span>
              {e.type === 'comment' && typeof e.data?.editedAt === 'string' && (
                <span className="muted edited">
                  edited <When at={e.data.editedAt} />
                </span>
              )}
            </div>
            {e.type === 'public_update_edited' && (
              <div className="entry-body muted">Before: {String(e.changes?.find((c) => c.field === 'text')?.from ?? '')}</div>
            )}
            {e.body && e.type !== 'created' && (
              <div className="entry-body">
                {e.type === 'public_update_edited' ? 'Now: ' : ''}
                {e.body}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
