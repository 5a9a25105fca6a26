import {
  CHANGE_RISK_LABELS,
  CHANGE_RISKS,
  CHANGE_TYPE_LABELS,
  CHANGE_TYPES,
  type ChangeRisk,
  type ChangeType,
} from '../../../core/changes';
import { Button, ChoiceGroup, Field } from '../ui/kit';
import { type Person, PersonPicker } from './PersonPicker';

/** A change's plan as its forms edit it; the window is in `datetime-local` form (the browser's zone). */
export interface ChangePlan {
  type: ChangeType;
  risk: ChangeRisk;
  plannedStart: string;
  plannedEnd: string;
  implementationPlan: string;
  testPlan: string;
  backoutPlan: string;
}

/** A `datetime-local` value (the browser's zone) as an instant; empty when not filled in. */
export const instantOf = (local: string): string => (local ? new Date(local).toISOString() : '');

/**
 * The plan of a change — type, risk, window, the implementation, test and backout plans, and its
 * approvers — as both "New change" and "Edit the draft" ask for it, so the two cannot drift apart.
 * `name` keeps each form's radio groups apart when both are on one page.
 */
export function ChangePlanFields({
  name,
  plan,
  onChange,
  approvers,
  onApprovers,
  fieldError,
}: {
  name: string;
  plan: ChangePlan;
  onChange: (patch: Partial<ChangePlan>) => void;
  approvers: Person[];
  onApprovers: (approvers: Person[]) => void;
  fieldError: (field: string) => string | undefined;
}) {
  return (
    <>
      <ChoiceGroup
        legend="Type"
        name={`${name}-type`}
        value={plan.type}
        choices={CHANGE_TYPES.map((t) => ({ value: t, label: CHANGE_TYPE_LABELS[t] }))}
        onChange={(type) => onChange({ type })}
        error={fieldError('type')}
      />
      <ChoiceGroup
        legend="Risk"
        name={`${name}-risk`}
        value={plan.risk}
        choices={CHANGE_RISKS.map((r) => ({ value: r, label: CHANGE_RISK_LABELS[r] }))}
        onChange={(risk) => onChange({ risk })}
        error={fieldError('risk')}
      />
      <div className="form-grid">
        <Field label="Planned start" error={fieldError('plannedStart')}>
          {(p) => (
            <input {...p} type="datetime-local" value={plan.plannedStart} onChange={(e) => onChange({ plannedStart: e.target.value })} />
          )}
        </Field>
        <Field label="Planned end" error={fieldError('plannedEnd')}>
          {(p) => <input {...p} type="datetime-local" value={plan.plannedEnd} onChange={(e) => onChange({ plannedEnd: e.target.value })} />}
        </Field>
      </div>
      <Field label="Implementation plan" hint="The steps, in order." error={fieldError('implementationPlan')}>
        {(p) => (
          <textarea {...p} rows={4} value={plan.implementationPlan} onChange={(e) => onChange({ implementationPlan: e.target.value })} />
        )}
      </Field>
      <Field label="Test plan" hint="How you will know it worked." error={fieldError('testPlan')}>
        {(p) => <textarea {...p} rows={3} value={plan.testPlan} onChange={(e) => onChange({ testPlan: e.target.value })} />}
      </Field>
      <Field label="Backout plan" hint="How to undo it if it goes wrong." error={fieldError('backoutPlan')}>
        {(p) => <textarea {...p} rows={3} value={plan.backoutPlan} onChange={(e) => onChange({ backoutPlan: e.target.value })} />}
      </Field>
      <PersonPicker
        label="Add an approver"
        hint="Without named approvers, any manager approves."
        value={null}
        onChange={(person) => person && !approvers.some((a) => a.id === person.id) && onApprovers([...approvers, person])}
        error={fieldError('approverIds')}
      />
      {approvers.length > 0 && (
        <ul className="change-approvers" aria-label="Approvers">
          {approvers.map((a) => (
            <li key={a.id}>
              {a.name}{' '}
              <Button
                tone="ghost"
                aria-label={`Remove approver ${a.name}`}
                onClick={() => onApprovers(approvers.filter((x) => x.id !== a.id))}
              >
                ×
              </Button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
