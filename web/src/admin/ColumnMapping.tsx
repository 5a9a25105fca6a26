import {
  GENERIC_FIELD_LABELS,
  GENERIC_FIELD_NAMES,
  type GenericField,
  type GenericMapping,
  REQUIRED_FIELDS,
} from '../../../core/import/generic-mapping';
import { DEFAULT_SERVICENOW_MAPPING } from '../../../core/import/servicenow-mapping';
import { CHANNELS, ON_HOLD_REASONS, RESOLUTION_CODES, TICKET_STATES } from '../../../core/vocabulary';
import { Field } from '../ui/kit';
import { CHANNEL_LABEL, ON_HOLD_LABEL, PRIORITY_LABEL, RESOLUTION_LABEL, STATE_LABEL } from '../ui/labels';

/** The mapping being edited: the file's columns for Firebreak's fields, and how its states, priorities, channels and resolution codes read. */
export type MappingDraft = Pick<GenericMapping, 'columns' | 'states' | 'priorities' | 'channels' | 'resolutionCodes'>;

export const EMPTY_MAPPING: MappingDraft = { columns: {}, states: {}, priorities: {}, channels: {}, resolutionCodes: {} };

/** Firebreak's states as a value table names them: a hold with each of its reasons. */
const STATE_CHOICES = TICKET_STATES.flatMap((s) =>
  s === 'on_hold'
    ? ON_HOLD_REASONS.map((r) => ({ value: `on_hold:${r}`, label: `${STATE_LABEL.on_hold}: ${ON_HOLD_LABEL[r]}` }))
    : [{ value: s, label: STATE_LABEL[s] }],
);
const PRIORITY_CHOICES = [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: PRIORITY_LABEL[n] }));
/** Channel labels read inside a sentence ("via the portal"); alone in a list they start with a capital. */
const capital = (text: string) => text[0].toUpperCase() + text.slice(1);
const CHANNEL_CHOICES = CHANNELS.map((c) => ({ value: c, label: capital(CHANNEL_LABEL[c]) }));
const RESOLUTION_CHOICES = RESOLUTION_CODES.map((c) => ({ value: c, label: RESOLUTION_LABEL[c] }));

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
 * columns' names, and a table for the state, priority, channel and resolution code values met in
 * the file's first rows (a select of Firebreak's values, by their labels, for each).
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
      <ValueTable
        title="State values"
        values={valuesOf(rows, value.columns.state)}
        table={value.states}
        unmapped="As Firebreak reads it"
        choices={STATE_CHOICES}
        onChange={(states) => onChange({ ...value, states })}
      />
      <ValueTable
        title="Priority values"
        values={valuesOf(rows, value.columns.priority)}
        table={Object.fromEntries(Object.entries(value.priorities).map(([k, n]) => [k, String(n)]))}
        unmapped="As written (1–5, or Critical … Planning)"
        choices={PRIORITY_CHOICES}
        onChange={(table) => onChange({ ...value, priorities: Object.fromEntries(Object.entries(table).map(([k, n]) => [k, Number(n)])) })}
      />
      <ValueTable
        title="Channel values"
        values={valuesOf(rows, value.columns.channel)}
        table={value.channels}
        unmapped={`As Firebreak reads it (else ${capital(CHANNEL_LABEL[DEFAULT_SERVICENOW_MAPPING.defaultChannel])})`}
        choices={CHANNEL_CHOICES}
        onChange={(channels) => onChange({ ...value, channels })}
      />
      <ValueTable
        title="Resolution code values"
        values={valuesOf(rows, value.columns.resolutionCode)}
        table={value.resolutionCodes}
        unmapped={`As Firebreak reads it (else ${RESOLUTION_LABEL[DEFAULT_SERVICENOW_MAPPING.defaultCloseCode]})`}
        choices={RESOLUTION_CHOICES}
        onChange={(resolutionCodes) => onChange({ ...value, resolutionCodes })}
      />
    </section>
  );
}

/**
 * One value table: a select per value met in the file's column, offering Firebreak's values by
 * their labels; "unmapped" leaves the value to the importer's own reading.
 */
function ValueTable<T extends string>({
  title,
  values,
  table,
  unmapped,
  choices,
  onChange,
}: {
  title: string;
  values: string[];
  table: Record<string, T>;
  unmapped: string;
  choices: readonly { value: string; label: string }[];
  onChange: (next: Record<string, T>) => void;
}) {
  if (values.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <div className="form-grid">
        {values.map((v) => (
          <Field key={v} label={`“${v}” means`}>
            {(p) => (
              <select {...p} value={table[v.toLowerCase()] ?? ''} onChange={(e) => onChange(withEntry(table, v, e.target.value as T | ''))}>
                <option value="">{unmapped}</option>
                {choices.map((c) => (
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
  );
}

/** A value table with `key` set (lower-cased, as the importer compares them), or removed when empty. */
function withEntry<T>(table: Record<string, T>, key: string, v: T | ''): Record<string, T> {
  const next = { ...table };
  if (v === '') delete next[key.toLowerCase()];
  else next[key.toLowerCase()] = v;
  return next;
}
