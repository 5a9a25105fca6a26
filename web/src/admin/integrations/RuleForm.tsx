import { type FormEvent, useState } from 'react';
import { describeRule } from '../../../../core/alerts/describe-rule';
import type { RoutingRule } from '../../../../core/alerts/routing';
import { ALERT_SEVERITIES, type AlertAction } from '../../../../core/vocabulary';
import { useServices, useTeams } from '../../api/hooks';
import { Button, ChoiceGroup, Field, FormActions } from '../../ui/kit';
import { ErrorNote } from '../ErrorNote';
import { draftOf, newLabelRow, type RuleDraft, ruleOf } from './rule-draft';

const ACTIONS: { value: AlertAction; label: string }[] = [
  { value: 'incident', label: 'Open an incident' },
  { value: 'disturbance', label: 'Record a disturbance' },
  { value: 'ignore', label: 'Ignore (no ticket)' },
];

const LEVELS = [
  { value: '1', label: '1 — high' },
  { value: '2', label: '2 — medium' },
  { value: '3', label: '3 — low' },
];

/**
 * One routing rule: which alerts (severity, labels) and what they do. The sentence under the
 * form says what the rule will do as it stands, before it is saved.
 */
export function RuleForm({
  rule,
  position,
  busy,
  error,
  fieldError,
  onSave,
  onCancel,
}: {
  rule: RoutingRule | null;
  /** Where the rule is (or will be) in the list, 0-based: the API names its fields rules.<position>.… */
  position: number;
  busy: boolean;
  error: unknown;
  fieldError: (name: string) => string | undefined;
  onSave: (rule: RoutingRule) => Promise<boolean>;
  onCancel: () => void;
}) {
  const services = useServices();
  const teams = useTeams();
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(rule));
  const set = (patch: Partial<RuleDraft>) => setDraft({ ...draft, ...patch });
  const fe = (name: string) => fieldError(`rules.${position}.${name}`);
  const serviceName = new Map((services.data?.items ?? []).map((s) => [s.id, s.name]));
  const teamName = new Map((teams.data?.items ?? []).map((t) => [t.id, t.name]));
  const preview = ruleOf(draft);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await onSave(preview)) onCancel();
  };
  const opensTicket = draft.action !== 'ignore';
  return (
    <form className="card rule-form" onSubmit={submit} noValidate aria-labelledby="rule-form-title">
      <h3 id="rule-form-title">{rule ? `Edit rule ${position + 1}` : `New rule (number ${position + 1})`}</h3>
      <ErrorNote error={error} />
      <Field label="Rule name (optional)" hint="For you: e.g. “Staging is noise”." error={fe('name')}>
        {(p) => <input {...p} value={draft.name} onChange={(e) => set({ name: e.target.value })} />}
      </Field>
      <fieldset className="choices">
        <legend>Severity (none ticked: any)</legend>
        <div className="choices-row">
          {ALERT_SEVERITIES.map((s) => (
            <label key={s} className={`choice ${draft.severity.includes(s) ? 'choice-on' : ''}`}>
              <input
                type="checkbox"
                checked={draft.severity.includes(s)}
                onChange={() =>
                  set({ severity: draft.severity.includes(s) ? draft.severity.filter((x) => x !== s) : [...draft.severity, s] })
                }
              />
              {s}
            </label>
          ))}
        </div>
        {fe('match.severity') && (
          <p className="field-error" role="alert">
            {fe('match.severity')}
          </p>
        )}
      </fieldset>
      <fieldset className="choices">
        <legend>Labels (all must match; several values, comma-separated: any of them)</legend>
        {draft.labels.map((l, i) => (
          <div key={l.key} className="row label-row">
            <input
              aria-label={`Label ${i + 1} name`}
              placeholder="label, e.g. service"
              value={l.name}
              onChange={(e) => set({ labels: draft.labels.map((x) => (x.key === l.key ? { ...x, name: e.target.value } : x)) })}
            />
            <span aria-hidden="true">=</span>
            <input
              aria-label={`Label ${i + 1} values`}
              placeholder="value, e.g. vpn"
              value={l.values}
              onChange={(e) => set({ labels: draft.labels.map((x) => (x.key === l.key ? { ...x, values: e.target.value } : x)) })}
            />
            <Button tone="ghost" onClick={() => set({ labels: draft.labels.filter((x) => x.key !== l.key) })}>
              Remove<span className="visually-hidden"> label {i + 1}</span>
            </Button>
          </div>
        ))}
        <Button onClick={() => set({ labels: [...draft.labels, newLabelRow()] })}>Add a label</Button>
        {fe('match.labels') && (
          <p className="field-error" role="alert">
            {fe('match.labels')}
          </p>
        )}
      </fieldset>
      <ChoiceGroup
        legend="Then"
        name="rule-action"
        value={draft.action}
        choices={ACTIONS}
        onChange={(action) => set({ action })}
        error={fe('action')}
      />
      {opensTicket && (
        <div className="form-grid">
          <Field label="Service" error={fe('serviceId')}>
            {(p) => (
              <select {...p} value={draft.serviceId} onChange={(e) => set({ serviceId: e.target.value })}>
                <option value="">None</option>
                {(services.data?.items ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.parentId ? `${serviceName.get(s.parentId) ?? '…'} › ${s.name}` : s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Team" hint="None: the service’s owner team." error={fe('teamId')}>
            {(p) => (
              <select {...p} value={draft.teamId} onChange={(e) => set({ teamId: e.target.value })}>
                <option value="">None</option>
                {(teams.data?.items ?? []).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Impact" error={fe('impact')}>
            {(p) => (
              <select {...p} value={draft.impact} onChange={(e) => set({ impact: e.target.value })}>
                <option value="">Medium (default)</option>
                {LEVELS.map((l) => (
                  <option key={l.value} value={l.value}>
                    {l.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Urgency" error={fe('urgency')}>
            {(p) => (
              <select {...p} value={draft.urgency} onChange={(e) => set({ urgency: e.target.value })}>
                <option value="">From severity (default)</option>
                {LEVELS.map((l) => (
                  <option key={l.value} value={l.value}>
                    {l.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Group by labels" hint="Alerts with the same values share a ticket." error={fe('groupBy')}>
            {(p) => <input {...p} value={draft.groupBy} onChange={(e) => set({ groupBy: e.target.value })} />}
          </Field>
          <Field label="Group window (minutes)" error={fe('groupWindowMinutes')}>
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                value={draft.groupWindowMinutes}
                onChange={(e) => set({ groupWindowMinutes: e.target.value })}
              />
            )}
          </Field>
          {draft.action === 'disturbance' && (
            <>
              <Field label="Promote after more than (alerts)" hint="Empty: only by hand." error={fe('promoteAfter.count')}>
                {(p) => (
                  <input {...p} inputMode="numeric" value={draft.promoteCount} onChange={(e) => set({ promoteCount: e.target.value })} />
                )}
              </Field>
              <Field label="… within (minutes)" error={fe('promoteAfter.minutes') ?? fe('promoteAfter')}>
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    value={draft.promoteMinutes}
                    onChange={(e) => set({ promoteMinutes: e.target.value })}
                  />
                )}
              </Field>
            </>
          )}
        </div>
      )}
      {opensTicket && (
        <label className="choice" style={{ marginBottom: '1rem' }}>
          <input type="checkbox" checked={draft.autoResolve} onChange={(e) => set({ autoResolve: e.target.checked })} />
          Resolve the ticket when its alerts resolve (never after a person worked on it)
        </label>
      )}
      <p className="rule-words" data-testid="rule-preview">
        {describeRule(preview, {
          service: preview.serviceId ? serviceName.get(preview.serviceId) : null,
          team: preview.teamId ? teamName.get(preview.teamId) : null,
        })}
      </p>
      <FormActions busy={busy} submit="Save rule" onCancel={onCancel} />
    </form>
  );
}
