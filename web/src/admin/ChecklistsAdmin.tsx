import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  AUTOMATIC_CHECK_HINTS,
  CHECKLIST_KIND_LABELS,
  CHECKLIST_KINDS,
  type CheckKind,
  type ChecklistKind,
} from '../../../core/completion-checklist';
import * as completionApi from '../api/endpoints/completion';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import { Banner, Button, Field, Loading, PageHeader } from '../ui/kit';
import { ErrorNote } from './ErrorNote';

type Checklists = completionApi.CompletionChecklistsT;
type Item = Checklists['major_incident'][number];

const CHECK_LABEL: Record<CheckKind, string> = {
  resolution_documented: 'Resolution documented (automatic)',
  root_cause_documented: 'Root cause documented (automatic)',
  final_update_sent: 'Final update sent (automatic)',
  preventive_measure_recorded: 'Preventive measure recorded (automatic)',
  review_scheduled: 'Review scheduled (automatic)',
  review_done: 'Post-incident review published (automatic)',
  manual: 'Ticked by a person',
};

/** A key from a label: "Key customers called" → "key_customers_called". */
function keyOf(label: string, taken: Set<string>): string {
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .replace(/^(\d)/, 'item_$1')
      .slice(0, 50) || 'item';
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${base}_${n}`;
  return key;
}

/** What an incident needs before it may be closed, per kind of incident. */
export function ChecklistsAdmin() {
  const current = useQuery({ queryKey: keys.completionChecklists, queryFn: completionApi.checklists });
  const save = useApiMutation({ mutationFn: completionApi.saveChecklists, invalidates: [keys.completionChecklists] });
  const [draft, setDraft] = useState<Checklists | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data && !draft) setDraft(structuredClone(current.data));
  }, [current.data, draft]);
  if (!draft) return <Loading what="the completion checklists" />;

  const change = (kind: ChecklistKind, items: Item[]) => {
    setSaved(false);
    setDraft({ ...draft, [kind]: items });
  };
  return (
    <div className="stack">
      <PageHeader title="Completion checklists" />
      <p className="muted">
        An incident cannot be closed until every item of its checklist is done; an admin may close it anyway, giving a reason that is
        recorded on its timeline. Automatic items are checked from the incident itself; the others are ticked by someone working on it.
      </p>
      {saved && <Banner tone="success">Saved. It applies to every incident closed from now on.</Banner>}
      <ErrorNote error={save.error} />
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await save.run(draft)) setSaved(true);
        }}
      >
        {CHECKLIST_KINDS.map((kind) => (
          <ChecklistEditor
            key={kind}
            kind={kind}
            items={draft[kind]}
            onChange={(items) => change(kind, items)}
            fieldError={save.fieldError}
          />
        ))}
        <div className="form-actions">
          <Button tone="primary" type="submit" busy={save.busy}>
            Save checklists
          </Button>
        </div>
      </form>
    </div>
  );
}

function ChecklistEditor({
  kind,
  items,
  onChange,
  fieldError,
}: {
  kind: ChecklistKind;
  items: Item[];
  onChange: (items: Item[]) => void;
  fieldError: (name: string) => string | undefined;
}) {
  const [label, setLabel] = useState('');
  const [check, setCheck] = useState<CheckKind>('manual');
  const used = new Set(items.map((i) => i.check));
  return (
    <fieldset className="card">
      <legend>
        <h2>{CHECKLIST_KIND_LABELS[kind]}</h2>
      </legend>
      {items.length === 0 ? (
        <p className="muted">No checklist: these incidents close as soon as they are confirmed.</p>
      ) : (
        <ol className="plain-list checklist">
          {items.map((item, i) => (
            <li key={item.key}>
              <div className="row">
                <span>
                  <strong>{item.label}</strong>{' '}
                  <span className="muted">
                    · {item.check === 'manual' ? 'ticked by a person' : `automatic: ${AUTOMATIC_CHECK_HINTS[item.check]}`}
                  </span>
                </span>
                <Button tone="ghost" aria-label={`Remove “${item.label}”`} onClick={() => onChange(items.filter((_, j) => j !== i))}>
                  Remove
                </Button>
              </div>
              {(fieldError(`${kind}.${i}.key`) || fieldError(`${kind}.${i}.label`) || fieldError(`${kind}.${i}.check`)) && (
                <p className="field-error" role="alert">
                  {fieldError(`${kind}.${i}.label`) ?? fieldError(`${kind}.${i}.key`) ?? fieldError(`${kind}.${i}.check`)}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      <div className="form-grid">
        <Field label="New item">
          {(p) => <input {...p} value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. Key customers called" />}
        </Field>
        <Field label="Done when">
          {(p) => (
            <select {...p} value={check} onChange={(e) => setCheck(e.target.value as CheckKind)}>
              {(Object.keys(CHECK_LABEL) as CheckKind[])
                .filter((c) => c === 'manual' || !used.has(c))
                .map((c) => (
                  <option key={c} value={c}>
                    {CHECK_LABEL[c]}
                  </option>
                ))}
            </select>
          )}
        </Field>
      </div>
      <div className="form-actions">
        <Button
          disabled={label.trim() === ''}
          onClick={() => {
            onChange([...items, { key: keyOf(label, new Set(items.map((i) => i.key))), label: label.trim(), check }]);
            setLabel('');
            setCheck('manual');
          }}
        >
          Add to the checklist
        </Button>
      </div>
    </fieldset>
  );
}
