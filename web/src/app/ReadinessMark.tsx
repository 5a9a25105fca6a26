import { useIsFetching, useIsMutating, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

/**
 * Marks the document `<html data-ready="true">` while no query is fetching and nothing is being
 * saved, and `"false"` otherwise: a page's data has arrived and is drawn. The browser tests wait
 * for it (network silence is no signal: the live event stream stays open, and waiting for half a
 * second of quiet cost a second a page). Settling is confirmed a task later, once the effects of
 * the page just drawn have started its queries, so a page never reads as ready before it asked.
 */
export function ReadinessMark() {
  const client = useQueryClient();
  const fetching = useIsFetching();
  const mutating = useIsMutating();
  useEffect(() => {
    const root = document.documentElement;
    if (fetching > 0 || mutating > 0) {
      root.dataset.ready = 'false';
      return;
    }
    const confirm = setTimeout(() => {
      if (client.isFetching() === 0 && client.isMutating() === 0) root.dataset.ready = 'true';
    }, 0);
    return () => clearTimeout(confirm);
  }, [client, fetching, mutating]);
  return null;
}
