import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { When } from '../ui/kit';

interface InAppNotification {
  id: string;
  ticketId: string | null;
  reason: string;
  text: string;
  createdAt: string;
  readAt: string | null;
}

export const BELL_KEY = ['in-app-notifications'] as const;

/**
 * The bell: what Firebreak told you in the app (pages, assignments, SLA warnings, replies), with
 * the unread count. It re-reads when the live stream says a ticket changed, and once a minute.
 */
export function NotificationBell() {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const list = useQuery({
    queryKey: BELL_KEY,
    queryFn: () => api<{ items: InAppNotification[]; unread: number }>('GET', '/me/notifications?limit=20'),
    refetchInterval: 60_000,
  });
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

  const markAllRead = async () => {
    await api('POST', '/me/notifications/read', { all: true });
    client.invalidateQueries({ queryKey: BELL_KEY });
  };

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
                      to={`/tickets/${n.ticketId}`}
                      onClick={() => {
                        setOpen(false);
                        if (!n.readAt)
                          api('POST', '/me/notifications/read', { ids: [n.id] }).then(() =>
                            client.invalidateQueries({ queryKey: BELL_KEY }),
                          );
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
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
