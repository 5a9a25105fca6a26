import { type FormEvent, useState } from 'react';
import type { RoutingRule } from '../../../../core/alerts/routing';
import { Button, Field } from '../../ui/kit';

/** A rule with no conditions matches every alert: placed last, it is where the rest goes. */
export function isCatchAll(rule: RoutingRule | undefined): boolean {
  return !!rule && (!rule.match || (!rule.match.severity?.length && Object.keys(rule.match.labels ?? {}).length === 0));
}

/**
 * What happens to alerts no rule matches. Without a rule that matches everything, they open
 * incidents with no team and no service — nobody's queue but *Unassigned* — so the admin is
 * offered a default team and service, kept as a last rule with no conditions (the same rules,
 * edited and reordered like any other).
 */
export function DefaultRoute({
  rules,
  teams,
  services,
  busy,
  onSave,
}: {
  rules: RoutingRule[];
  teams: { id: string; name: string }[];
  services: { id: string; name: string }[];
  busy: boolean;
  onSave: (next: RoutingRule[]) => Promise<boolean>;
}) {
  const [teamId, setTeamId] = useState('');
  const [serviceId, setServiceId] = useState('');
  if (isCatchAll(rules.at(-1))) {
    return <p className="muted">The last rule matches every alert, so no alert goes without a rule.</p>;
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const everythingElse: RoutingRule = {
      name: 'Everything else',
      action: 'incident',
      ...(teamId ? { teamId } : {}),
      ...(serviceId ? { serviceId } : {}),
      autoResolve: true,
      groupBy: ['alertname', 'service'],
      groupWindowMinutes: 5,
    };
    if (await onSave([...rules, everythingElse])) {
      setTeamId('');
      setServiceId('');
    }
  };
  return (
    <form className="default-route" onSubmit={submit} aria-label="Alerts no rule matches">
      <p>
        Alerts no rule matches open an incident with <strong>no team and no service</strong>: only the <em>Unassigned</em> queue shows it.
        Send them to:
      </p>
      <div className="form-grid">
        <Field label="Default team">
          {(p) => (
            <select {...p} value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">No team</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Default service">
          {(p) => (
            <select {...p} value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
              <option value="">No service</option>
              {services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Button type="submit" busy={busy} disabled={!teamId && !serviceId}>
        Add as the last rule
      </Button>
    </form>
  );
}
