import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { humanMessage } from '../api/client';
import { keys } from '../api/keys';
import { useAcknowledgePage, useMarkRead, useNotifications } from '../api/on-call-hooks';
import type { InAppNotificationT as InAppNotification } from '../api/types';
import { Button, When } from '../ui/kit';

/**
 * The bell: what Firebreak told you in the app (pages, assignments, SLA warnings, replies), with
 * the unread count. It re-reads when the live stream says a ticket changed, and once a minute.
 */
export function NotificationBell() {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const list = useNotifications();
  const ack = useAcknowledgePage();
  const markRead = useMarkRead();
  const unread = list.data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onClick = (e: MouseEvent) => !panel.current?.contains(e.target as Node) && setOpen(false);
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onClick);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  // What acknowledging from the list did, per page (or why it could not), shown in place.
  const [acked, setAcked] = useState<Record<string, { text: string; error?: boolean }>>({});
  const acknowledge = async (n: InAppNotification) => {
    if (!n.page) return;
    const pageId = n.page.id;
    try {
      const page = await ack.mutateAsync({ pageId, ticketId: n.ticketId, markRead: n.readAt ? undefined : n.id });
      setAcked((a) => ({
        ...a,
        [pageId]: {
          text:
            page.assignment?.outcome === 'assigned'
              ? 'Acknowledged: the ticket is now yours.'
              : page.assignment?.outcome === 'already_assigned'
                ? `Acknowledged: ${page.assignment.assigneeName} stays the assignee.`
                : 'Acknowledged.',
        },
      }));
    } catch (err) {
      setAcked((a) => ({ ...a, [pageId]: { text: humanMessage(err), error: true } }));
      client.invalidateQueries({ queryKey: keys.notifications });
    }
  };

  const markAllRead = () => markRead.run({ all: true });

  return (
    <div className="bell" ref={panel}>
      <button
        type="button"
        className="btn btn-ghost"
        aria-expanded={open}
        aria-haspopup="true"
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
        onClick={() => setOpen((o) => !o)}
      >
        <svg
          width="18"
          height="18"
          viewBox="0 0 24 24"
          aria-hidden="true"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && <span className="bell-count">{unread > 99 ? '99+' : unread}</span>}
      </button>
      {open && (
        <section className="bell-panel card" aria-label="Notifications">
          <div className="row">
            <strong>Notifications</strong>
            <span className="spacer" />
            {unread > 0 && (
              <button type="button" className="btn btn-ghost" onClick={markAllRead}>
                Mark all read
              </button>
            )}
          </div>
          {(list.data?.items ?? []).length === 0 ? (
            <p className="muted">Nothing yet.</p>
          ) : (
            <ul className="plain-list bell-list">
              {list.data?.items.map((n) => (
                <li key={n.id} className={n.readAt ? '' : 'unread'}>
                  {n.ticketId ? (
                    <Link
                      to={n.page ? `/desk/pages/${n.page.id}` : `/tickets/${n.ticketId}`}
                      onClick={() => {
                        setOpen(false);
                        if (!n.readAt) markRead.run({ ids: [n.id] });
                      }}
                    >
                      {n.text}
                    </Link>
                  ) : n.reason === 'storm_proposed' ? (
                    // A storm proposal is about no one ticket: it waits on the desk's front page.
                    <Link
                      to="/desk/queue/unassigned"
                      onClick={() => {
                        setOpen(false);
                        if (!n.readAt) markRead.run({ ids: [n.id] });
                      }}
                    >
                      {n.text}
                    </Link>
                  ) : (
                    <span>{n.text}</span>
                  )}
                  <div className="muted">
                    <When at={n.createdAt} />
                  </div>
                  {n.page && acked[n.page.id] ? (
                    <p className={acked[n.page.id].error ? 'field-error' : 'bell-done'} role="status">
                      {acked[n.page.id].text}
                    </p>
                  ) : n.page?.state === 'triggered' ? (
                    <Button
                      tone="primary"
                      className="bell-ack"
                      busy={ack.isPending && ack.variables?.pageId === n.page.id}
                      onClick={() => acknowledge(n)}
                    >
                      Acknowledge
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
