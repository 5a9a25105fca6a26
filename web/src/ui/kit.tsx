import { type ButtonHTMLAttributes, type ReactNode, useEffect, useId, useRef } from 'react';
import { Link, type LinkProps } from 'react-router';
import type { TicketState } from '../../../core/vocabulary';
import { dateTime, timeAgo } from './format';
import { IMPACT_LABEL, PRIORITY_LABEL, STATE_LABEL, URGENCY_LABEL } from './labels';

// Firebreak's small component kit: native elements (which browsers and screen readers know
// best), one look, labels and error messages wired with ids so assistive tech reads them.

type Tone = 'primary' | 'secondary' | 'danger' | 'ghost';

export function Button({
  tone = 'secondary',
  busy,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone; busy?: boolean }) {
  return (
    <button
      type="button"
      {...rest}
      className={`btn btn-${tone} ${rest.className ?? ''}`}
      disabled={rest.disabled || busy}
      aria-busy={busy || undefined}
    >
      {children}
    </button>
  );
}

export function ButtonLink({ tone = 'secondary', ...rest }: LinkProps & { tone?: Tone }) {
  return <Link {...rest} className={`btn btn-${tone} ${rest.className ?? ''}`} />;
}

/** A labelled control with its hint and its error, both announced with the control. */
export function Field({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string;
  /** e.g. `field-wide`: two cells of a form-grid, for a URL. */
  className?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A set of radio buttons as large, tappable choices. */
/** A labelled choice of one named record by id, with a first option for none. */
const LEVELS = {
  impact: { label: 'Impact', words: IMPACT_LABEL },
  urgency: { label: 'Urgency', words: URGENCY_LABEL },
} as const;

/**
 * Impact or urgency (1 high … 3 low), each level in words. With `choose` the field starts empty
 * with that prompt and must be chosen (a new ticket); without, it always holds a level (an edit).
 */
export function LevelSelect({
  of,
  value,
  onChange,
  choose,
  error,
}: {
  of: keyof typeof LEVELS;
  /** '1', '2', '3', or '' while nothing is chosen. */
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  choose?: string;
  error?: string;
}) {
  const { label, words } = LEVELS[of];
  return (
    <Field label={label} error={error}>
      {(p) => (
        <select {...p} value={value} onChange={onChange} required={choose !== undefined}>
          {choose !== undefined && <option value="">{choose}</option>}
          {[1, 2, 3].map((v) => (
            <option key={v} value={v}>
              {words[v]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * A choice of one record by id — a team, a person, a service — or none, with what "none" means
 * here ("No team", "Nobody by name"). The one shape for every such picker.
 */
export function IdSelect({
  label,
  value,
  onChange,
  options,
  none,
  hint,
  error,
}: {
  label: string;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  options: { id: string; name: string }[];
  none: string;
  hint?: string;
  error?: string;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(p) => (
        <select {...p} value={value} onChange={onChange}>
          <option value="">{none}</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function ChoiceGroup<T extends string | number>({
  legend,
  name,
  value,
  choices,
  onChange,
  error,
}: {
  legend: string;
  name: string;
  value: T | undefined;
  choices: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  error?: string;
}) {
  return (
    <fieldset className={`choices ${error ? 'field-invalid' : ''}`}>
      <legend>{legend}</legend>
      <div className="choices-row">
        {choices.map((c) => (
          <label key={String(c.value)} className={`choice ${value === c.value ? 'choice-on' : ''}`}>
            <input type="radio" name={name} checked={value === c.value} onChange={() => onChange(c.value)} />
            {c.label}
          </label>
        ))}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function StateBadge({ state }: { state: TicketState }) {
  return <span className={`badge state-${state}`}>{STATE_LABEL[state]}</span>;
}

export function PriorityBadge({ priority }: { priority: number }) {
  return (
    <span className={`badge prio prio-${priority}`} title={PRIORITY_LABEL[priority]}>
      {PRIORITY_LABEL[priority]}
    </span>
  );
}

export function When({ at }: { at: string }) {
  return (
    <time dateTime={at} title={dateTime(at)}>
      {timeAgo(at)}
    </time>
  );
}

export function Banner({
  tone = 'info',
  title,
  children,
  action,
}: {
  tone?: 'info' | 'warning' | 'danger' | 'success';
  title?: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'danger' || tone === 'warning' ? 'alert' : 'status'}>
      <div>
        {title && <strong className="banner-title">{title}</strong>}
        {children}
      </div>
      {action && <div className="banner-action">{action}</div>}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children && <div className="page-header-actions">{children}</div>}
    </header>
  );
}

/** A modal dialog on the native <dialog>: focus is trapped, Escape closes it. */
export function Dialog({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{title}</h2>
      {open && children}
    </dialog>
  );
}

/** "Edit" in a list row; screen readers hear what it edits. */
export function EditButton({ name, onClick }: { name: string; onClick: () => void }) {
  return (
    <Button onClick={onClick}>
      Edit<span className="visually-hidden"> {name}</span>
    </Button>
  );
}

/** A form's closing row: the submit button and a way back without saving. */
export function FormActions({ busy, submit, onCancel }: { busy?: boolean; submit: string; onCancel: () => void }) {
  return (
    <div className="form-actions">
      <Button tone="primary" type="submit" busy={busy}>
        {submit}
      </Button>
      <Button onClick={onCancel}>Cancel</Button>
    </div>
  );
}
