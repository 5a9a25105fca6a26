import { useEffect, useState } from 'react';

const QUERY = '(max-width: 820px)';

/** Whether the window is phone-narrow (one column): kept current as it is resized or turned. */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia?.(QUERY).matches ?? false);
  useEffect(() => {
    const list = window.matchMedia?.(QUERY);
    if (!list) return;
    const changed = () => setNarrow(list.matches);
    list.addEventListener('change', changed);
    return () => list.removeEventListener('change', changed);
  }, []);
  return narrow;
}
