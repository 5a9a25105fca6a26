import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import * as stormApi from '../api/endpoints/storms';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { StormSettingsT } from '../api/types';
import { Banner, Button, Field, Loading, PageHeader } from '../ui/kit';
import { ErrorNote } from './ErrorNote';

type Draft = Record<keyof StormSettingsT, string>;
const FIELDS: { key: keyof StormSettingsT; label: string; hint: string; step: string }[] = [
  {
    key: 'threshold',
    label: 'Reports and alerts that make a storm',
    hint: 'At least 2. Counted on a service, what it is part of and what depends on it.',
    step: '1',
  },
  { key: 'windowMinutes', label: 'Within (minutes)', hint: 'The sliding window they are counted in: 1 to 1440 (a day).', step: '1' },
  {
    key: 'similarity',
    label: 'How alike the words must be (0.05 to 1)',
    hint: 'For reports on no service: 1 is the same words, 0.3 catches most rephrasings.',
    step: '0.05',
  },
];

const draftOf = (s: StormSettingsT): Draft => ({
  threshold: String(s.threshold),
  windowMinutes: String(s.windowMinutes),
  similarity: String(s.similarity),
});

/**
 * Storm detection (issue 14): when the desk is asked to declare a major incident — so many reports
 * and alerts within so many minutes — and, per service, whether a storm declares one by itself at
 * that threshold instead of asking (with a timeline entry saying why). Numbers the server refuses
 * come back naming the field and are shown beside it.
 */
export function StormDetectionAdmin() {
  const current = useQuery({ queryKey: keys.stormSettings, queryFn: stormApi.settings });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [notNumbers, setNotNumbers] = useState<Partial<Record<keyof StormSettingsT, string>>>({});
  const [saved, setSaved] = useState(false);
  const save = useApiMutation({ mutationFn: stormApi.setSettings, invalidates: [keys.stormSettings] });
  useEffect(() => {
    if (current.data && !draft) setDraft(draftOf(current.data));
  }, [current.data, draft]);
  if (!draft) return <Loading what="storm detection" />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    // An empty or non-numeric box would reach the server as null: say so here, in words.
    const missing: typeof notNumbers = {};
    for (const f of FIELDS) if (draft[f.key].trim() === '' || !Number.isFinite(Number(draft[f.key]))) missing[f.key] = 'Enter a number';
    setNotNumbers(missing);
    if (Object.keys(missing).length > 0) return;
    const body = { threshold: Number(draft.threshold), windowMinutes: Number(draft.windowMinutes), similarity: Number(draft.similarity) };
    if (await save.run(body)) setSaved(true);
  };
  return (
    <div className="stack">
      <PageHeader title="Storm detection" />
      <p className="muted">
        When many people report the same thing at once, the desk is asked whether to declare a major incident. Here you set when that
        happens, and for which services it happens by itself.
      </p>
      {saved && <Banner tone="success">Saved. Storms are counted this way from now on.</Banner>}
      <ErrorNote error={save.error} />
      <form className="card stack" onSubmit={submit} noValidate>
        <h2>When to ask the desk</h2>
        <div className="form-grid">
          {FIELDS.map((f) => (
            <Field key={f.key} label={f.label} hint={f.hint} error={notNumbers[f.key] ?? save.fieldError(f.key)}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  step={f.step}
                  inputMode="decimal"
                  value={draft[f.key]}
                  onChange={(e) => {
                    setSaved(false);
                    setDraft({ ...draft, [f.key]: e.target.value });
                  }}
                />
              )}
            </Field>
          ))}
        </div>
        <div className="form-actions">
          <Button tone="primary" type="submit" busy={save.busy}>
            Save storm detection
          </Button>
        </div>
      </form>
      <StormPolicies threshold={current.data?.threshold ?? Number(draft.threshold)} minutes={current.data?.windowMinutes ?? 0} />
    </div>
  );
}

/** Per service: declare by policy (no question asked) or ask the desk. Each box saves at once. */
function StormPolicies({ threshold, minutes }: { threshold: number; minutes: number }) {
  const policies = useQuery({ queryKey: keys.stormPolicies, queryFn: stormApi.policies });
  const save = useApiMutation({ mutationFn: stormApi.setPolicy, invalidates: [keys.stormPolicies], awaitRefresh: true });
  const items = policies.data?.items ?? [];
  return (
    <section className="card stack" aria-labelledby="storm-policies-title">
      <h2 id="storm-policies-title">Declare by policy</h2>
      <p className="muted">
        For a service ticked here, a storm of {threshold} reports and alerts within {minutes} minutes declares a major incident at once: the
        reports become its children and the Technical Manager owns it. Other services ask the desk first.
      </p>
      <ErrorNote error={save.error} />
      {policies.isLoading ? (
        <Loading what="services" />
      ) : items.length === 0 ? (
        <p className="muted">There are no services yet: add them under Services.</p>
      ) : (
        <ul className="storm-policies">
          {items.map((s) => (
            <li key={s.serviceId}>
              <label>
                <input
                  type="checkbox"
                  checked={s.declareByPolicy}
                  disabled={save.busy}
                  onChange={(e) => save.run({ serviceId: s.serviceId, declareByPolicy: e.target.checked })}
                />{' '}
                {s.serviceName}
              </label>
              <span className="muted">{s.declareByPolicy ? 'declares by itself' : 'asks the desk'}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
