import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { TEMPLATE_VARIABLE_NAMES, TEMPLATE_VARIABLES, UPDATE_STAGE_LABELS, UPDATE_STAGES } from '../../../core/stakeholder-updates';
import * as api from '../api/endpoints/stakeholder-updates';
import { useApiMutation } from '../api/mutation';
import { Banner, Button, Field, Loading, PageHeader } from '../ui/kit';
import { PRIORITY_LABEL } from '../ui/labels';
import { ErrorNote } from './ErrorNote';
import { StakeholderListsAdmin } from './StakeholderListsAdmin';

const CADENCE_KEY = ['update-cadence'];
const TEMPLATES_KEY = ['update-templates'];
const PRIORITIES = ['1', '2', '3', '4', '5'] as const;

/** Stakeholder updates (issue 15): how often major incidents must send one, the composer's templates, and the lists of people to tell. */
export function StakeholderUpdatesAdmin() {
  return (
    <div className="stack">
      <PageHeader title="Stakeholder updates" />
      <CadenceAdmin />
      <TemplatesAdmin />
      <StakeholderListsAdmin />
    </div>
  );
}

function CadenceAdmin() {
  const current = useQuery({ queryKey: CADENCE_KEY, queryFn: api.cadence });
  const save = useApiMutation({ mutationFn: api.saveCadence, invalidates: [CADENCE_KEY] });
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data && !draft) {
      const d: Record<string, string> = { grace: String(current.data.graceMinutes) };
      for (const p of PRIORITIES) d[p] = current.data.intervals[p] === undefined ? '' : String(current.data.intervals[p]);
      setDraft(d);
    }
  }, [current.data, draft]);
  if (!draft) return <Loading what="the update cadence" />;
  const set = (k: string, v: string) => {
    setSaved(false);
    setDraft({ ...draft, [k]: v });
  };
  return (
    <form
      className="card stack"
      aria-labelledby="cadence-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const intervals = Object.fromEntries(PRIORITIES.filter((p) => draft[p].trim() !== '').map((p) => [p, Number(draft[p])]));
        if (await save.run({ intervals, graceMinutes: Number(draft.grace) })) setSaved(true);
      }}
    >
      <h2 id="cadence-title">Update cadence</h2>
      <p className="muted">
        Minutes between updates on a major incident, per priority (empty: no reminders). When an update is due, the communications manager
        (or whoever the incident is assigned to) is reminded; after the grace period the incident manager is told it is overdue.
      </p>
      {saved && <Banner tone="success">Saved. It applies from the next update or priority change of each incident.</Banner>}
      <ErrorNote error={save.error} />
      <div className="cadence-grid">
        {PRIORITIES.map((p) => (
          <Field key={p} label={PRIORITY_LABEL[Number(p)] ?? `P${p}`} error={save.fieldError(`intervals.${p}`)}>
            {(props) => (
              <input {...props} inputMode="numeric" value={draft[p]} onChange={(e) => set(p, e.target.value)} placeholder="none" />
            )}
          </Field>
        ))}
        <Field label="Grace before overdue (minutes)" error={save.fieldError('graceMinutes')}>
          {(props) => <input {...props} inputMode="numeric" value={draft.grace} onChange={(e) => set('grace', e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={save.busy}>
          Save cadence
        </Button>
      </div>
    </form>
  );
}

function TemplatesAdmin() {
  const current = useQuery({ queryKey: TEMPLATES_KEY, queryFn: api.templates });
  const save = useApiMutation({ mutationFn: api.saveTemplates, invalidates: [TEMPLATES_KEY] });
  const [draft, setDraft] = useState<api.UpdateTemplatesT | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data && !draft) setDraft({ ...current.data });
  }, [current.data, draft]);
  if (!draft) return <Loading what="the update templates" />;
  return (
    <form
      className="card stack"
      aria-labelledby="templates-title"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await save.run(draft)) setSaved(true);
      }}
    >
      <h2 id="templates-title">Update templates</h2>
      <p className="muted">
        What the composer starts from at each stage. Variables:{' '}
        {TEMPLATE_VARIABLE_NAMES.map((n, i) => (
          <span key={n}>
            {i > 0 ? ', ' : ''}
            <code>{`{${n}}`}</code> ({TEMPLATE_VARIABLES[n]})
          </span>
        ))}
        .
      </p>
      {saved && <Banner tone="success">Saved.</Banner>}
      <ErrorNote error={save.error} />
      {UPDATE_STAGES.map((stage) => (
        <Field key={stage} label={UPDATE_STAGE_LABELS[stage]} error={save.fieldError(stage)}>
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={draft[stage]}
              onChange={(e) => {
                setSaved(false);
                setDraft({ ...draft, [stage]: e.target.value });
              }}
            />
          )}
        </Field>
      ))}
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={save.busy}>
          Save templates
        </Button>
      </div>
    </form>
  );
}
