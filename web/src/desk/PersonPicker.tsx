import { useEffect, useId, useState } from 'react';
import { humanMessage } from '../api/client';
import * as directoryApi from '../api/endpoints/directory';
import { usePeopleSearch } from '../api/hooks';
import { useApiMutation } from '../api/mutation';
import { Button, Field } from '../ui/kit';

export interface Person {
  id: string;
  name: string;
  email?: string;
}

/** Waits until typing pauses, so a search is asked once per word, not once per key. */
function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Finds a person by part of their name or e-mail (GET /users?q=) and lets staff choose one;
 * with `allowCreate`, a caller the desk does not know yet is added on the spot (POST /requesters).
 * The matches are buttons in a list: reachable with Tab, chosen with Enter, read as what they are.
 */
export function PersonPicker({
  label,
  value,
  onChange,
  allowCreate = false,
  error,
  hint,
  compact = false,
}: {
  label: string;
  value: Person | null;
  onChange: (person: Person | null) => void;
  allowCreate?: boolean;
  error?: string;
  hint?: string;
  /** A queue filter: smaller, and clearing means "anyone". */
  compact?: boolean;
}) {
  const [text, setText] = useState('');
  const [creating, setCreating] = useState(false);
  const q = useDebounced(text.trim(), 200);
  const listId = useId();
  const matches = usePeopleSearch(q, q.length >= 2 && !value);

  if (value) {
    return (
      <div className={`field person-chosen ${compact ? 'compact' : ''}`}>
        <span className="label-text">{label}</span>
        <div className="row">
          <span>
            <strong>{value.name}</strong>
            {value.email ? <span className="muted"> · {value.email}</span> : null}
          </span>
          <Button tone="ghost" onClick={() => onChange(null)} aria-label={`${compact ? 'Clear' : 'Change'} ${label.toLowerCase()}`}>
            {compact ? '×' : 'Change'}
          </Button>
        </div>
        {error && <p className="field-error">{error}</p>}
      </div>
    );
  }

  if (creating) {
    return (
      <NewRequester
        initial={text}
        onCancel={() => setCreating(false)}
        onCreated={(person) => {
          setCreating(false);
          setText('');
          onChange(person);
        }}
      />
    );
  }

  const items = matches.data?.items ?? [];
  return (
    <div className={`person-picker ${compact ? 'compact' : ''}`}>
      <Field label={label} hint={hint ?? (compact ? undefined : 'Type part of a name or e-mail address.')} error={error}>
        {(p) => (
          <input
            {...p}
            type="search"
            autoComplete="off"
            value={text}
            aria-controls={listId}
            placeholder={compact ? 'Name or e-mail' : undefined}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                document.getElementById(listId)?.querySelector('button')?.focus();
              }
            }}
          />
        )}
      </Field>
      <div id={listId} aria-live="polite">
        {q.length >= 2 &&
          matches.isSuccess &&
          (items.length === 0 ? (
            <p className="muted">Nobody matches “{q}”.</p>
          ) : (
            <ul className="plain-list person-matches" aria-label={`People matching ${q}`}>
              {items.map((u) => (
                <li key={u.id}>
                  <button
                    type="button"
                    className="person-match"
                    onKeyDown={moveBetweenMatches}
                    onClick={() => {
                      setText('');
                      onChange({ id: u.id, name: u.name, email: u.email });
                    }}
                  >
                    <strong>{u.name}</strong> <span className="muted">{u.email}</span>
                  </button>
                </li>
              ))}
            </ul>
          ))}
        {matches.error ? <p className="field-error">{humanMessage(matches.error)}</p> : null}
      </div>
      {allowCreate && (
        <Button tone="ghost" onClick={() => setCreating(true)}>
          + New requester
        </Button>
      )}
    </div>
  );
}

/** ↓ and ↑ move between the matches (Tab works too); Enter or Space chooses one. */
function moveBetweenMatches(e: React.KeyboardEvent<HTMLButtonElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  e.preventDefault();
  const item = e.currentTarget.closest('li');
  const next = e.key === 'ArrowDown' ? item?.nextElementSibling : item?.previousElementSibling;
  next?.querySelector('button')?.focus();
}

/** Name and e-mail of a caller the desk does not know yet; not a <form>, since it sits inside one. */
function NewRequester({ initial, onCreated, onCancel }: { initial: string; onCreated: (person: Person) => void; onCancel: () => void }) {
  const [name, setName] = useState(initial.includes('@') ? '' : initial);
  const [email, setEmail] = useState(initial.includes('@') ? initial : '');
  const add = useApiMutation({ mutationFn: directoryApi.createRequester });
  const create = async () => {
    const person = await add.run({ name, email });
    if (person) onCreated({ id: person.id, name: person.name, email: person.email });
  };
  const onEnter = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      create();
    }
  };
  return (
    <fieldset className="new-requester">
      <legend>New requester</legend>
      {add.error && !add.hasFieldErrors ? <p className="field-error">{humanMessage(add.error)}</p> : null}
      <div className="form-grid">
        <Field label="Their name" error={add.fieldError('name')}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} onKeyDown={onEnter} autoComplete="off" />}
        </Field>
        <Field label="Their e-mail address" error={add.fieldError('email')}>
          {(p) => (
            <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} onKeyDown={onEnter} autoComplete="off" />
          )}
        </Field>
      </div>
      <div className="form-actions">
        <Button tone="primary" busy={add.busy} onClick={create}>
          Add requester
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </fieldset>
  );
}
