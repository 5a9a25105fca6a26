import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ServiceT } from '../api/types';
import { Field } from '../ui/kit';

const NONE_LABEL = 'I don’t know / something else';

/**
 * Pick a service in two steps: typing filters the services offered to requesters (components
 * under their service), then choosing one — a click, or Enter — sets it and shows the choice
 * with "Change". The matches are buttons in a list, as in the desk's person picker: reachable
 * with Tab or ↓, read as what they are. Services hidden from requesters are never offered here,
 * even to staff browsing the portal: the portal is the requesters' view.
 */
export function ServicePicker({
  services,
  value,
  onChange,
  error,
  label = 'Which service?',
}: {
  services: ServiceT[];
  value: string;
  onChange: (id: string) => void;
  error?: string;
  label?: string;
}) {
  const [filter, setFilter] = useState('');
  // Choosing: the search and its matches; otherwise the choice (a service, or "don't know") and "Change".
  const [choosing, setChoosing] = useState(value === '');
  const listId = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);
  // Where focus goes after a step, so a keyboard user is never dropped to the top of the page.
  const focusNext = useRef<'search' | 'change' | null>(null);
  useEffect(() => {
    if (focusNext.current === 'search') searchRef.current?.focus();
    if (focusNext.current === 'change') changeRef.current?.focus();
    focusNext.current = null;
  });

  const named = useMemo(() => {
    const byId = new Map(services.map((s) => [s.id, s]));
    return services
      .filter((s) => s.visibleToRequesters)
      .map((s) => {
        const parent = s.parentId ? byId.get(s.parentId) : undefined;
        return { id: s.id, name: parent ? `${parent.name} › ${s.name}` : s.name };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [services]);
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = named.filter((o) => words.every((w) => o.name.toLowerCase().includes(w)));

  const choose = (id: string) => {
    onChange(id);
    setFilter('');
    setChoosing(false);
    focusNext.current = 'change';
  };

  if (!choosing) {
    const chosen = named.find((o) => o.id === value)?.name ?? services.find((s) => s.id === value)?.name;
    return (
      <fieldset className={`field service-chosen ${error ? 'field-invalid' : ''}`}>
        <legend>{label}</legend>
        <div className="row">
          {value ? <strong data-testid="chosen-service">{chosen ?? 'A service'}</strong> : <span>{NONE_LABEL}</span>}
          <button
            ref={changeRef}
            type="button"
            className="btn btn-ghost"
            aria-label={`Change the service${value && chosen ? ` (now ${chosen})` : ''}`}
            onClick={() => {
              setChoosing(true);
              focusNext.current = 'search';
            }}
          >
            Change
          </button>
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </fieldset>
    );
  }

  return (
    <div className="service-picker">
      <Field label={label} hint="Type part of its name, e.g. VPN, payroll, e-mail — then choose it from the list." error={error}>
        {(p) => (
          <input
            {...p}
            ref={searchRef}
            type="search"
            autoComplete="off"
            value={filter}
            aria-controls={listId}
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                document.getElementById(listId)?.querySelector('button')?.focus();
              } else if (e.key === 'Enter') {
                // Enter chooses the first match; it never sends the report from the search box.
                e.preventDefault();
                if (words.length > 0 && matches.length > 0) choose(matches[0].id);
              } else if (e.key === 'Escape' && value !== '' && filter === '') {
                setChoosing(false);
                focusNext.current = 'change';
              }
            }}
          />
        )}
      </Field>
      <p className="visually-hidden" aria-live="polite">
        {words.length > 0 ? `${matches.length} ${matches.length === 1 ? 'service matches' : 'services match'}` : ''}
      </p>
      <ul id={listId} className="plain-list service-matches" aria-label={words.length > 0 ? `Services matching ${filter}` : 'Services'}>
        {matches.map((o) => (
          <li key={o.id}>
            <button
              type="button"
              className={`service-match ${o.id === value ? 'service-match-current' : ''}`}
              aria-current={o.id === value || undefined}
              onKeyDown={moveBetweenMatches}
              onClick={() => choose(o.id)}
            >
              {o.name}
            </button>
          </li>
        ))}
        {words.length > 0 && matches.length === 0 && <li className="muted service-no-match">No service matches “{filter}”.</li>}
        <li>
          <button type="button" className="service-match service-match-none" onKeyDown={moveBetweenMatches} onClick={() => choose('')}>
            {NONE_LABEL}
          </button>
        </li>
      </ul>
    </div>
  );
}

/** ↓ and ↑ move between the matches (Tab works too); ↑ from the first goes back to the search. */
function moveBetweenMatches(e: React.KeyboardEvent<HTMLButtonElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  e.preventDefault();
  let item = e.currentTarget.closest('li');
  do item = (e.key === 'ArrowDown' ? item?.nextElementSibling : item?.previousElementSibling) as HTMLLIElement | null;
  while (item && !item.querySelector('button'));
  const target = item?.querySelector('button');
  if (target) target.focus();
  else if (e.key === 'ArrowUp') e.currentTarget.closest('.service-picker')?.querySelector('input')?.focus();
}
