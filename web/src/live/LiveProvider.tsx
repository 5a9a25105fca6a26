import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { keys } from '../api/keys';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

const LiveContext = createContext<LiveState>('connecting');

export const useLiveState = () => useContext(LiveContext);

interface TicketNews {
  ticketId: string;
  number: string;
  type: string;
}

/**
 * Keeps one server-sent-events stream open while someone is signed in, and turns what it hears
 * into cache invalidations: the ticket that changed, its timeline, and (at most every 300 ms)
 * the queues. When the stream breaks it says so, retries with backoff, and on return re-reads
 * everything, since changes made meanwhile were not heard.
 */
export function LiveProvider({ children, onSignedOut }: { children: ReactNode; onSignedOut: () => void }) {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let listsTimer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let wasBroken = false;
    let stopped = false;

    // Reports aggregate many tickets: during a busy hour they are read again at most every 10 s.
    let reportsTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshReports = () => {
      if (reportsTimer) return;
      reportsTimer = setTimeout(() => {
        reportsTimer = undefined;
        client.invalidateQueries({ queryKey: ['reports'] });
      }, 10_000);
    };

    const refreshLists = () => {
      if (listsTimer) return;
      listsTimer = setTimeout(() => {
        listsTimer = undefined;
        client.invalidateQueries({ queryKey: keys.tickets.all });
        client.invalidateQueries({ queryKey: keys.knownIssues.all });
        // In-app notifications are written with the change that caused them.
        client.invalidateQueries({ queryKey: keys.notifications });
      }, 300);
    };

    const connect = () => {
      source = new EventSource('/api/v1/events');
      source.addEventListener('ready', () => {
        attempt = 0;
        setState('live');
        if (wasBroken) client.invalidateQueries(); // we may have missed changes while away
        wasBroken = false;
      });
      source.addEventListener('ticket', (e) => {
        const news = JSON.parse((e as MessageEvent).data) as TicketNews;
        client.invalidateQueries({ queryKey: keys.ticket.row(news.ticketId) });
        client.invalidateQueries({ queryKey: keys.ticket.timeline(news.ticketId) });
        client.invalidateQueries({ queryKey: keys.ticket.attachments(news.ticketId) });
        // A rating writes no timeline event: it is announced as `rated` for the ticket's page.
        if (news.type === 'rated') client.invalidateQueries({ queryKey: keys.satisfaction(news.ticketId) });
        refreshLists();
        refreshReports();
      });
      source.addEventListener('storm', () => {
        client.invalidateQueries({ queryKey: keys.stormProposals });
        client.invalidateQueries({ queryKey: keys.notifications });
      });
      source.addEventListener('resync', () => client.invalidateQueries());
      source.addEventListener('signed_out', () => {
        source?.close();
        signedOut.current();
      });
      source.onerror = () => {
        // The browser retries by itself after a dropped connection, but gives up for good on
        // an HTTP error (e.g. the session expired); we take over retrying in both cases.
        source?.close();
        if (stopped) return;
        wasBroken = true;
        setState('reconnecting');
        const delay = Math.min(15_000, 500 * 2 ** attempt);
        attempt += 1;
        retry = setTimeout(async () => {
          const me = await fetch('/api/v1/me', { credentials: 'same-origin' }).catch(() => null);
          if (me?.status === 401) {
            signedOut.current();
            return;
          }
          connect();
        }, delay);
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(retry);
      clearTimeout(listsTimer);
      clearTimeout(reportsTimer);
    };
  }, [client]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}
