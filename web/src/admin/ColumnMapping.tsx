import {
  GENERIC_FIELD_LABELS,
  GENERIC_FIELD_NAMES,
  type GenericField,
  type GenericMapping,
  REQUIRED_FIELDS,
} from '../../../core/import/generic-mapping';
import { ON_HOLD_REASONS, TICKET_STATES } from '../../../core/vocabulary';
import { Field } from '../ui/kit';
import { ON_HOLD_LABEL, PRIORITY_LABEL, STATE_LABEL } from '../ui/labels';

/** The mapping being edited: the file's columns for Firebreak's fields, and how its states and priorities read. */
export type MappingDraft = Pick<GenericMapping, 'columns' | 'states' | 'priorities'>;

/** Firebreak's states as a value table names them: a hold with each of its reasons. */
const STATE_CHOICES = TICKET_STATES.flatMap((s) =>
  s === 'on_hold'
    ? ON_HOLD_REASONS.map((r) => ({ value: `on_hold:${r}`, label: `${STATE_LABEL.on_hold}: ${ON_HOLD_LABEL[r]}` }))
    : [{ value: s, label: STATE_LABEL[s] }],
);

/** The distinct values of a column in the sample, for its value table (a few, in the file's order). */
function valuesOf(rows: Record<string, string>[], column: string | undefined): string[] {
  if (!column) return [];
  const seen = new Set<string>();
  for (const r of rows) {
    const v = r[column]?.trim();
    if (v && v !== '?') seen.add(v);
    if (seen.size >= 20) break;
  }
  return [...seen];
}

/**
 * Admin › Import's column mapping (issue 16): a select per Firebreak field, pre-filled by the
 * columns' names, and a table for the state and priority values met in the file's first rows.
 * Columns mapped to no field are kept on the tickets as source attributes.
 */
export function ColumnMapping({
  columns,
  rows,
  value,
  onChange,
}: {
  columns: string[];
  rows: Record<string, string>[];
  value: MappingDraft;
  onChange: (next: MappingDraft) => void;
}) {
  const setColumn = (field: GenericField, column: string) => {
    const next = { ...value.columns };
    if (column) next[field] = column;
    else delete next[field];
    onChange({ ...value, columns: next });
  };
  const unmapped = columns.filter((c) => !Object.values(value.columns).includes(c));
  const states = valuesOf(rows, value.columns.state);
  const priorities = valuesOf(rows, value.columns.priority);
  return (
    <section className="stack" aria-labelledby="column-mapping-title">
      <h3 id="column-mapping-title">Columns</h3>
      <p className="muted">
        Which column of the file holds each of Firebreak's fields; guessed from the columns' names. Columns left over are kept on each
        ticket as its imported attributes{unmapped.length > 0 ? `: ${unmapped.join(', ')}` : ''}.
      </p>
      <div className="form-grid column-mapping">
        {GENERIC_FIELD_NAMES.map((field) => (
          <Field
            key={field}
            label={REQUIRED_FIELDS.includes(field) ? `${GENERIC_FIELD_LABELS[field]} (required)` : GENERIC_FIELD_LABELS[field]}
          >
            {(p) => (
              <select {...p} value={value.columns[field] ?? ''} onChange={(e) => setColumn(field, e.target.value)}>
                <option value="">Not in the file</option>
                {columns.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ))}
      </div>
      {states.length > 0 && (
        <>
          <h3>State values</h3>
          <div className="form-grid">
            {states.map((v) => (
              <Field key={v} label={`“${v}” means`}>
                {(p) => (
                  <select
                    {...p}
                    value={value.states[v.toLowerCase()] ?? ''}
                    onChange={(e) => onChange({ ...value, states: withEntry(value.states, v, e.target.value) })}
                  >
                    <option value="">As Firebreak reads it</option>
                    {STATE_CHOICES.map((c) => (
                      <option key={c.value} value={c.value}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ))}
          </div>
        </>
      )}
      {priorities.length > 0 && (
        <>
          <h3>Priority values</h3>
          <div className="form-grid">
            {priorities.map((v) => (
              <Field key={v} label={`“${v}” means`}>
                {(p) => (
                  <select
                    {...p}
                    value={value.priorities[v.toLowerCase()] ?? ''}
                    onChange={(e) =>
                      onChange({ ...value, priorities: withEntry(value.priorities, v, e.target.value ? Number(e.target.value) : '') })
                    }
                  >
                    <option value="">As written (1–5, or Critical … Planning)</option>
                    {[1, 2, 3, 4, 5].map((n) => (
                      <option key={n} value={n}>
                        {PRIORITY_LABEL[n]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ))}
          </div>
        </>
      )}
    </section>
  );
}

/** A value table with `key` set (lower-cased, as the importer compares them), or removed when empty. */
function withEntry<T>(table: Record<string, T>, key: string, v: T | ''): Record<string, T> {
  const next = { ...table };
  if (v === '') delete next[key.toLowerCase()];
  else next[key.toLowerCase()] = v;
  return next;
}
