import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import * as majorApi from '../api/endpoints/major-incidents';
import { useStaff, useTeams } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { IncidentOwnershipT } from '../api/types';
import { Banner, Button, Field, Loading, PageHeader } from '../ui/kit';
import { ErrorNote } from './ErrorNote';

type Scope = 'local' | 'global';
const SCOPE_WORDS: Record<Scope, string> = {
  local: 'Local incidents (one site, few users)',
  global: 'Global incidents (wide: major incidents)',
};

/** The holder as one select value: "person:<id>", "team:<id>" or "" for nobody. */
const holderValue = (h: IncidentOwnershipT['local']['holder']) =>
  h === null ? '' : h.kind === 'person' ? `person:${h.userId}` : `team:${h.teamId}`;
const holderOf = (value: string): IncidentOwnershipT['local']['holder'] => {
  const [kind, id] = value.split(':');
  if (kind === 'person') return { kind: 'person', userId: id };
  if (kind === 'team') return { kind: 'team', teamId: id };
  return null;
};

/**
 * Who owns incidents: local ones the Customer Service Manager role, global ones the Technical
 * Manager role (by default). Each role's name is the admin's to choose; its holder is a person or a
 * team, meaning that team's manager. Making an incident global assigns it to the global role's holder.
 */
export function IncidentOwnershipAdmin() {
  const current = useQuery({ queryKey: keys.incidentOwnership, queryFn: majorApi.ownership });
  const teams = useTeams();
  const staff = useStaff();
  const save = useApiMutation({ mutationFn: majorApi.setOwnership, invalidates: [keys.incidentOwnership] });
  const [form, setForm] = useState<IncidentOwnershipT | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data && !form) setForm(current.data);
  }, [current.data, form]);
  if (!form) return <Loading what="who owns incidents" />;
  const set = (scope: Scope, patch: Partial<IncidentOwnershipT['local']>) => {
    setSaved(false);
    setForm({ ...form, [scope]: { ...form[scope], ...patch } });
  };
  return (
    <div className="stack">
      <PageHeader title="Incident ownership" />
      <p className="muted">
        Who owns an incident depends on its scope. Making an incident global (or declaring a major incident) assigns it to the holder of the
        global role and their team.
      </p>
      {saved && <Banner tone="success">Saved. Incidents made global from now on go to the holder you chose.</Banner>}
      <ErrorNote error={save.error} />
      <form
        className="card stack"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await save.run(form)) setSaved(true);
        }}
      >
        {(['local', 'global'] as const).map((scope) => (
          <fieldset key={scope} className="ownership-role">
            <legend>{SCOPE_WORDS[scope]}</legend>
            <Field label="Role name" error={save.fieldError(`${scope}.name`)}>
              {(p) => <input {...p} value={form[scope].name} onChange={(e) => set(scope, { name: e.target.value })} required />}
            </Field>
            <Field
              label="Held by"
              hint="A person, or a team (its manager holds the role)."
              error={save.fieldError(`${scope}.holder.userId`) ?? save.fieldError(`${scope}.holder.teamId`)}
            >
              {(p) => (
                <select {...p} value={holderValue(form[scope].holder)} onChange={(e) => set(scope, { holder: holderOf(e.target.value) })}>
                  <option value="">Nobody yet (incidents keep their owner)</option>
                  <optgroup label="Teams (their manager)">
                    {(teams.data?.items ?? []).map((t) => (
                      <option key={t.id} value={`team:${t.id}`}>
                        {t.name}
                      </option>
                    ))}
                  </optgroup>
                  <optgroup label="People">
                    {(staff.data?.items ?? []).map((u) => (
                      <option key={u.id} value={`person:${u.id}`}>
                        {u.name}
                      </option>
                    ))}
                  </optgroup>
                </select>
              )}
            </Field>
          </fieldset>
        ))}
        <div className="form-actions">
          <Button tone="primary" type="submit" busy={save.busy}>
            Save ownership
          </Button>
        </div>
      </form>
    </div>
  );
}
