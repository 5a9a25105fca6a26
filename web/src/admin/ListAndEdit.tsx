import { type ReactNode, useState } from 'react';
import { Button, EditButton, Loading, PageHeader } from '../ui/kit';

/**
 * The admin pages' list-and-edit pattern: a page of named records with a "New …" button, a table
 * whose rows each have an Edit button, and one form open at a time above the table (for a new
 * record, or for the one being edited) that closes when it saved or was cancelled.
 */
export function ListAndEdit<T extends { id: string; name: string }>({
  title,
  newLabel,
  what,
  pending,
  items,
  columns,
  cells,
  form,
}: {
  title: string;
  newLabel: string;
  /** What the list holds, as said while it loads ("teams"). */
  what: string;
  pending: boolean;
  /** The rows, in the order shown. */
  items: T[];
  /** Column headings; the last column (the Edit buttons) is added. */
  columns: string[];
  /** One row's cells before its Edit button. */
  cells: (item: T) => ReactNode;
  /** The form for a new record (`null`) or for the one being edited. */
  form: (record: T | null, onDone: () => void) => ReactNode;
}) {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  return (
    <div className="stack">
      <PageHeader title={title}>
        <Button tone="primary" onClick={() => setEditing('new')}>
          {newLabel}
        </Button>
      </PageHeader>
      {editing && form(editing === 'new' ? null : editing, () => setEditing(null))}
      {pending ? (
        <Loading what={what} />
      ) : (
        <table className="data card">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                {cells(item)}
                <td>
                  <EditButton name={item.name} onClick={() => setEditing(item)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
