import { Fragment, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { TicketT } from '../api/types';
import { Field } from '../ui/kit';

/**
 * What an imported ticket brought that Firebreak has no field for (issue 16): the source's
 * columns as exported (location, cmdb_ci, the original state …), each value a link to the
 * imported tickets that share it (the queue's `attr` filter).
 */
export function SourceAttributes({ ticket }: { ticket: TicketT }) {
  const entries = Object.entries(ticket.sourceAttributes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby="source-attributes-title" data-testid="source-attributes">
      <h3 id="source-attributes-title">From the imported file</h3>
      <dl className="facts">
        {entries.map(([column, value]) => (
          <Fragment key={column}>
            <dt>{column}</dt>
            <dd>
              <Link
                to={`/desk/queue/imported?${new URLSearchParams({ attr: `${column}:${value}` })}`}
                title={`Imported tickets with ${column} ${value}`}
              >
                {value}
              </Link>
            </dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

/**
 * The queue's filter on a source attribute, typed as `column:value` (location:Paris); applied
 * once it has that form, a moment after typing stops, as the search is.
 */
export function SourceAttributeFilter({ value, onChange }: { value: string; onChange: (next: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const valid = text === '' || /^[^:]+:.+$/.test(text);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (valid && text !== value) onChange(text);
    }, 250);
    return () => clearTimeout(timer);
  }, [text, value, valid, onChange]);
  return (
    <Field label="Imported attribute" error={valid ? undefined : 'Write the column, a colon and the value, e.g. location:Paris'}>
      {(p) => <input {...p} type="search" placeholder="location:Paris" value={text} onChange={(e) => setText(e.target.value)} />}
    </Field>
  );
}
