import { useState } from 'react';
import { Button, Dialog } from '../ui/kit';
import { useShortcuts } from '../ui/useShortcuts';

const SHORTCUTS: [string, string][] = [
  ['j / k', 'Next / previous ticket in a queue'],
  ['Enter', 'Open the selected ticket'],
  ['/', 'Search all tickets (number, words, requester)'],
  ['a', 'Assign the open ticket to me'],
  ['e', 'Edit the ticket’s fields'],
  ['r', 'Reply to the requester (public)'],
  ['n', 'Write a work note (internal)'],
  ['Ctrl + Enter', 'Send the reply or note'],
  ['c', 'Insert a canned reply (or type / at the start of the reply box)'],
  ['?', 'Show this list'],
];

/** `?` anywhere on the desk lists the keyboard shortcuts. */
export function ShortcutHelp() {
  const [open, setOpen] = useState(false);
  useShortcuts((e) => {
    if (e.key === '?') setOpen(true);
  });
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
