import { useEffect, useRef } from 'react';

/**
 * Single-key shortcuts for the whole window, ignored while the person types in a field or holds
 * Ctrl/⌘/Alt (so browser and system shortcuts keep working). The latest handler is always used,
 * so callers need not memoise it.
 */
export function useShortcuts(handler: (e: KeyboardEvent) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || e.metaKey || e.ctrlKey || e.altKey) return;
      latest.current(e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
