import { useIsFetching, useIsMutating, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';

/** Takes a hold on readiness; the function it returns lets go. */
const ReadinessHold = createContext<() => () => void>(() => () => {});

/**
 * Marks the document `<html data-ready="true">` while no query is fetching, nothing is being
 * saved and nothing holds it (`useHoldReadiness`: a page's code still on its way), and `"false"`
 * otherwise: the page's data has arrived and is drawn. The browser tests wait for it (network
 * silence is no signal: the live event stream stays open, and waiting for half a second of quiet
 * cost a second a page). Settling is confirmed a task later, once the effects of the page just
 * drawn have started its queries, so a page never reads as ready before it asked.
 */
export function ReadinessMark({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const fetching = useIsFetching();
  const mutating = useIsMutating();
  // The count now (read by the confirmation) and as rendered (which re-runs the effect).
  const held = useRef(0);
  const [holds, setHolds] = useState(0);
  const hold = useCallback(() => {
    held.current += 1;
    setHolds(held.current);
    return () => {
      held.current -= 1;
      setHolds(held.current);
    };
  }, []);
  useEffect(() => {
    const root = document.documentElement;
    if (fetching > 0 || mutating > 0 || holds > 0) {
      root.dataset.ready = 'false';
      return;
    }
    const confirm = setTimeout(() => {
      if (client.isFetching() === 0 && client.isMutating() === 0 && held.current === 0) root.dataset.ready = 'true';
    }, 0);
    return () => clearTimeout(confirm);
  }, [client, fetching, mutating, holds]);
  return <ReadinessHold.Provider value={hold}>{children}</ReadinessHold.Provider>;
}

/** The document is not ready while the calling component is shown (a placeholder for code on its way). */
export function useHoldReadiness(): void {
  const hold = useContext(ReadinessHold);
  useEffect(() => hold(), [hold]);
}
