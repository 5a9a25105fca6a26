import { useState } from 'react';
import { describeRule } from '../../../../core/alerts/describe-rule';
import type { RoutingRule } from '../../../../core/alerts/routing';
import * as monitoringApi from '../../api/endpoints/monitoring';
import { useServices, useTeams } from '../../api/hooks';
import { keys } from '../../api/keys';
import { useApiMutation } from '../../api/mutation';
import { Button, Dialog, EditButton } from '../../ui/kit';
import { ErrorNote } from '../ErrorNote';
import { DefaultRoute } from './DefaultRoute';
import { RuleForm } from './RuleForm';

/**
 * An integration's ordered routing rules: the first that matches an alert decides. Every change
 * (add, edit, delete, move) saves the whole list at once (PATCH /integrations/{id} replaces it).
 */
export function RoutingRules({
  integrationId,
  rules,
  version,
  active,
}: {
  integrationId: string;
  rules: RoutingRule[];
  /** The version these rules were read at: a save made after someone else's is refused, not overwriting it. */
  version: number;
  active: boolean;
}) {
  const save = useApiMutation({
    mutationFn: (next: RoutingRule[]) => monitoringApi.updateIntegration(integrationId, { rules: next }, version),
    invalidates: [keys.monitoring.integrations],
  });
  const services = useServices();
  const teams = useTeams();
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [deleting, setDeleting] = useState<number | null>(null);
  const serviceName = new Map((services.data?.items ?? []).map((s) => [s.id, s.name]));
  const teamName = new Map((teams.data?.items ?? []).map((t) => [t.id, t.name]));
  const saveRules = async (next: RoutingRule[]) => (await save.run(next)) !== undefined;
  const move = (from: number, to: number) => {
    const next = [...rules];
    const [rule] = next.splice(from, 1);
    next.splice(to, 0, rule);
    return saveRules(next);
  };
  const label = (rule: RoutingRule, i: number) => rule.name || `rule ${i + 1}`;
  const startEditing = (which: number | 'new') => {
    save.reset();
    setEditing(which);
  };
  return (
    <section className="card" aria-labelledby="rules-title">
      <div className="row">
        <h3 id="rules-title">Routing rules</h3>
        <span className="spacer" />
        {active && editing === null && (
          <Button tone="primary" onClick={() => startEditing('new')}>
            Add a rule
          </Button>
        )}
      </div>
      <p className="muted">Tried in order; the first rule that matches an alert decides.</p>
      {editing === null && <ErrorNote error={save.error} />}
      {rules.length === 0 ? (
        <p>No rules yet: every alert opens an incident (impact medium, urgency from its severity) that resolves with its alerts.</p>
      ) : (
        <ol className="rule-list">
          {rules.map((rule, i) => (
            // Rules have no ids: their position is who they are, and the list re-renders whole on every save.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={i} className="rule-item">
              <div className="rule-head">
                <strong>
                  {i + 1}. {rule.name || <span className="muted">(unnamed)</span>}
                </strong>
                <span className="badge">{rule.action}</span>
                <span className="spacer" />
                {active && editing === null && (
                  <span className="row rule-actions">
                    <Button tone="ghost" disabled={i === 0 || save.busy} onClick={() => move(i, i - 1)}>
                      Move up<span className="visually-hidden"> {label(rule, i)}</span>
                    </Button>
                    <Button tone="ghost" disabled={i === rules.length - 1 || save.busy} onClick={() => move(i, i + 1)}>
                      Move down<span className="visually-hidden"> {label(rule, i)}</span>
                    </Button>
                    <EditButton name={label(rule, i)} onClick={() => startEditing(i)} />
                    <Button
                      tone="danger"
                      disabled={save.busy}
                      onClick={() => {
                        save.reset();
                        setDeleting(i);
                      }}
                    >
                      Delete<span className="visually-hidden"> {label(rule, i)}</span>
                    </Button>
                  </span>
                )}
              </div>
              <p className="rule-words">
                {describeRule(rule, {
                  service: rule.serviceId ? serviceName.get(rule.serviceId) : null,
                  team: rule.teamId ? teamName.get(rule.teamId) : null,
                })}
              </p>
              {editing === i && (
                <RuleForm
                  rule={rule}
                  position={i}
                  busy={save.busy}
                  error={save.error}
                  fieldError={save.fieldError}
                  onSave={(edited) => saveRules(rules.map((r, j) => (j === i ? edited : r)))}
                  onCancel={() => setEditing(null)}
                />
              )}
            </li>
          ))}
        </ol>
      )}
      {deleting !== null && rules[deleting] && (
        <Dialog open title={`Delete ${label(rules[deleting], deleting)}?`} onClose={() => setDeleting(null)}>
          <p>
            Alerts it matched will go to the next rule that matches, or open an incident when none does. The alerts and tickets it already
            made stay as they are.
          </p>
          <ErrorNote error={save.error} />
          <div className="form-actions">
            <Button
              tone="danger"
              busy={save.busy}
              onClick={async () => {
                if (await saveRules(rules.filter((_, j) => j !== deleting))) setDeleting(null);
              }}
            >
              Delete rule
            </Button>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
          </div>
        </Dialog>
      )}
      {active && editing === null && (
        <DefaultRoute
          rules={rules}
          teams={teams.data?.items ?? []}
          services={services.data?.items ?? []}
          busy={save.busy}
          onSave={saveRules}
        />
      )}
      {editing === 'new' && (
        <RuleForm
          rule={null}
          position={rules.length}
          busy={save.busy}
          error={save.error}
          fieldError={save.fieldError}
          onSave={(added) => saveRules([...rules, added])}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}
