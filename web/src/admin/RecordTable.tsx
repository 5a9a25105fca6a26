import type { ReactNode } from 'react';

/**
 * The admin pages' table of records: a heading per column, one row per record, and (when the page
 * has any) a last column of row actions under a heading only screen readers hear. The list-and-edit
 * pattern puts its Edit buttons there; pages whose records are created but never edited (tokens,
 * integrations, people) use the table alone, with their own actions.
 */
export function RecordTable<T extends { id: string }>({
  items,
  columns,
  cells,
  actions,
  className = 'data card',
  rowClassName,
}: {
  /** The rows, in the order shown. */
  items: T[];
  /** Column headings, before the actions column. */
  columns: string[];
  /** One row's cells before its actions; `index` is its place in `items` (for moving it up or down). */
  cells: (item: T, index: number) => ReactNode;
  /** One row's actions, in a column of their own; without it there is no such column. */
  actions?: (item: T) => ReactNode;
  /** The table's classes: a card of its own unless the page puts it inside one. */
  className?: string;
  /** A row's classes, e.g. the one chosen. */
  rowClassName?: (item: T) => string | undefined;
}) {
  return (
    <table className={className}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {items.map((item, index) => (
          <tr key={item.id} className={rowClassName?.(item)}>
            {cells(item, index)}
            {actions && <td>{actions(item)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
