import type { ReactNode } from 'react';
import { EditButton } from '../ui/kit';

/**
 * A short list of named records, each one line with its name, a summary and its Edit button: for
 * records a table would say too little about (calendars, schedules, escalation policies), whose
 * details are in their form.
 */
export function RecordList<T extends { id: string; name: string }>({
  items,
  summary,
  onEdit,
}: {
  items: T[];
  /** One record's summary, after its name. */
  summary: (item: T) => ReactNode;
  onEdit: (item: T) => void;
}) {
  return (
    <ul className="plain-list">
      {items.map((item) => (
        <li key={item.id} className="row sla-item">
          <strong>{item.name}</strong>
          <span className="muted">{summary(item)}</span>
          <EditButton name={item.name} onClick={() => onEdit(item)} />
        </li>
      ))}
    </ul>
  );
}
