import { useEffect, useState } from 'react';
import { Button, Dialog } from '../ui/kit';

const SHORTCUTS: [string, string][] = [
  ['j / k', 'Next / previous ticket in a queue'],
  ['Enter', 'Open the selected ticket'],
  ['/', 'Search the queue'],
  ['a', 'Assign the open ticket to me'],
  ['e', 'Edit the ticket’s fields'],
  ['r', 'Reply to the requester (public)'],
  ['n', 'Write a work note (internal)'],
  ['Ctrl + Enter', 'Send the reply or note'],
  ['?', 'Show this list'],
];

/** `?` anywhere on the desk lists the keyboard shortcuts. */
export function ShortcutHelp() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (e.key === '?') setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <Button tone="ghost" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setOpen(true)}>
        ⌨
      </Button>
      <Dialog open={open} title="Keyboard shortcuts" onClose={() => setOpen(false)}>
        <table className="data">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  <kbd className="kbd">{keys}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-actions">
          <Button tone="primary" onClick={() => setOpen(false)}>
            Close
          </Button>
        </div>
      </Dialog>
    </>
  );
}
