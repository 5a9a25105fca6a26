import type { ReactNode } from 'react';
import { Button, EditButton, Loading, PageHeader } from '../ui/kit';
import { RecordTable } from './RecordTable';
import { useRecordEditor } from './useRecordEditor';

/**
 * The admin pages' list-and-edit pattern: a page of named records with a "New …" button, a table
 * whose rows each have an Edit button, and one form open at a time above the table (for a new
 * record, or for the one being edited) that closes when it saved or was cancelled. A record
 * without a `name` says what it is called through `nameOf`; a row may have actions after Edit.
 */
export function ListAndEdit<T extends { id: string; name?: string }>({
  title,
  newLabel,
  what,
  pending,
  items,
  columns,
  cells,
  form,
  nameOf = (item: T) => item.name ?? '',
  actions,
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
  /** What a row's record is called, for its Edit button's accessible name; its `name` unless said. */
  nameOf?: (item: T) => string;
  /** A row's actions after its Edit button (Revoke, Delete …), each with its own confirmation. */
  actions?: (item: T) => ReactNode;
}) {
  const editor = useRecordEditor<T>();
  return (
    <div className="stack">
      <PageHeader title={title}>
        <Button tone="primary" onClick={editor.startNew}>
          {newLabel}
        </Button>
      </PageHeader>
      {editor.form(form)}
      {pending ? (
        <Loading what={what} />
      ) : (
        <RecordTable
          items={items}
          columns={columns}
          cells={cells}
          actions={(item) => (
            <>
              <EditButton name={nameOf(item)} onClick={() => editor.edit(item)} />
              {actions?.(item)}
            </>
          )}
        />
      )}
    </div>
  );
}
