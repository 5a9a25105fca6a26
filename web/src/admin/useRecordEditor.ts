import { type ReactNode, useState } from 'react';

/**
 * Which record of a list has its form open: none, a new one, or the one being edited. The
 * list-and-edit pattern holds one; a page with two lists (SLA policies and calendars, on-call
 * schedules and escalation policies) holds one per list, each with its own "New …" button.
 */
export function useRecordEditor<T>() {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  return {
    startNew: () => setEditing('new'),
    edit: (record: T) => setEditing(record),
    /** The open form, or nothing: `render` gets the record (`null` for a new one) and what closes it. */
    form: (render: (record: T | null, onDone: () => void) => ReactNode): ReactNode =>
      editing === null ? null : render(editing === 'new' ? null : editing, () => setEditing(null)),
  };
}
