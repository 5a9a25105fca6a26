import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { humanMessage } from '../api/client';
import * as api from '../api/endpoints/stakeholder-updates';
import { useServices, useTeams, useUsers } from '../api/hooks';
import { useApiMutation } from '../api/mutation';
import { Banner, Button, Field, Loading } from '../ui/kit';
import { ErrorNote } from './ErrorNote';

const LISTS_KEY = ['stakeholder-lists'];

type Draft = {
  id: string | null;
  version: number;
  name: string;
  description: string;
  userIds: string[];
  teamIds: string[];
  emails: string;
  serviceIds: string[];
};
const EMPTY: Draft = { id: null, version: 0, name: '', description: '', userIds: [], teamIds: [], emails: '', serviceIds: [] };

/**
 * Lists of people to tell ("IT leadership"): people, whole teams and addresses outside Firebreak.
 * Attached to services, a list is ticked in advance on their incidents' updates.
 */
export function StakeholderListsAdmin() {
  const lists = useQuery({ queryKey: LISTS_KEY, queryFn: api.lists });
  const users = useUsers({ active: 'true' });
  const teams = useTeams();
  const services = useServices();
  const [draft, setDraft] = useState<Draft | null>(null);
  const names = new Map<string, string>();
  for (const u of users.data?.items ?? []) names.set(u.id, u.name);
  for (const t of teams.data?.items ?? []) names.set(t.id, t.name);
  for (const s of services.data?.items ?? []) names.set(s.id, s.name);

  const save = useApiMutation({
    mutationFn: (d: Draft) => {
      const body = {
        name: d.name,
        description: d.description,
        userIds: d.userIds,
        teamIds: d.teamIds,
        emails: d.emails.split(/[\s,;]+/).filter(Boolean),
        serviceIds: d.serviceIds,
      };
      return d.id ? api.saveList(d.id, d.version, body) : api.createList(body);
    },
    invalidates: [LISTS_KEY],
    onSuccess: () => setDraft(null),
  });
  const remove = useApiMutation({ mutationFn: api.deleteList, invalidates: [LISTS_KEY], refreshOnError: true });
  const nameList = (ids: string[]) => ids.map((id) => names.get(id) ?? 'someone').join(', ');

  return (
    <section className="card stack" aria-labelledby="lists-title">
      <h2 id="lists-title">Stakeholder lists</h2>
      <p className="muted">
        Who to tell besides the status page and the people affected. A list attached to a service is proposed on its incidents.
      </p>
      {lists.isPending ? <Loading what="the stakeholder lists" /> : null}
      {(lists.data?.items ?? []).length === 0 && !lists.isPending ? <p className="muted">No list yet.</p> : null}
      <ul className="plain-list">
        {lists.data?.items.map((l) => (
          <li key={l.id} className="sent-update">
            <div className="row spread">
              <strong>{l.name}</strong>
              <span className="row">
                <Button
                  onClick={() =>
                    setDraft({
                      id: l.id,
                      version: l.version,
                      name: l.name,
                      description: l.description,
                      userIds: l.userIds,
                      teamIds: l.teamIds,
                      emails: l.emails.join('\n'),
                      serviceIds: l.serviceIds,
                    })
                  }
                  aria-label={`Edit ${l.name}`}
                >
                  Edit
                </Button>
                <Button tone="ghost" onClick={() => remove.run(l.id)} aria-label={`Remove ${l.name}`}>
                  Remove
                </Button>
              </span>
            </div>
            <p className="muted">
              {[
                l.userIds.length ? `People: ${nameList(l.userIds)}` : '',
                l.teamIds.length ? `Teams: ${nameList(l.teamIds)}` : '',
                l.emails.length ? `Addresses: ${l.emails.join(', ')}` : '',
              ]
                .filter(Boolean)
                .join(' · ') || 'Nobody yet'}
              {l.serviceIds.length ? ` · Proposed for ${nameList(l.serviceIds)}` : ''}
            </p>
          </li>
        ))}
      </ul>
      <ErrorNote error={remove.error} />
      {draft ? (
        <ListForm
          draft={draft}
          setDraft={setDraft}
          save={save}
          users={users.data?.items ?? []}
          teams={teams.data?.items ?? []}
          services={services.data?.items ?? []}
        />
      ) : (
        <div className="row">
          <Button onClick={() => setDraft(EMPTY)}>New list</Button>
        </div>
      )}
    </section>
  );
}

type Named = { id: string; name: string };

function Picks({
  legend,
  options,
  chosen,
  onChange,
}: {
  legend: string;
  options: Named[];
  chosen: string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <fieldset className="audiences">
      <legend>{legend}</legend>
      {options.length === 0 ? <p className="muted">None to choose from.</p> : null}
      {options.map((o) => (
        <label key={o.id} className="row audience">
          <input
            type="checkbox"
            checked={chosen.includes(o.id)}
            onChange={() => onChange(chosen.includes(o.id) ? chosen.filter((id) => id !== o.id) : [...chosen, o.id])}
          />
          {o.name}
        </label>
      ))}
    </fieldset>
  );
}

function ListForm({
  draft,
  setDraft,
  save,
  users,
  teams,
  services,
}: {
  draft: Draft;
  setDraft: (d: Draft | null) => void;
  save: ReturnType<typeof useApiMutation<Draft, api.AudienceT>>;
  users: Named[];
  teams: Named[];
  services: Named[];
}) {
  const emailError = save.fieldError('emails') ?? findIndexed(save.fieldError, 'emails');
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.run(draft);
      }}
    >
      <h3>{draft.id ? `Edit ${draft.name}` : 'New list'}</h3>
      <Field label="Name" error={save.fieldError('name')}>
        {(p) => (
          <input
            {...p}
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            placeholder="e.g. IT leadership"
          />
        )}
      </Field>
      <Picks legend="People" options={users} chosen={draft.userIds} onChange={(userIds) => setDraft({ ...draft, userIds })} />
      <Picks legend="Teams (every member)" options={teams} chosen={draft.teamIds} onChange={(teamIds) => setDraft({ ...draft, teamIds })} />
      <Field label="Addresses outside Firebreak" hint="One per line, e.g. cfo@example.com" error={emailError}>
        {(p) => <textarea {...p} rows={3} value={draft.emails} onChange={(e) => setDraft({ ...draft, emails: e.target.value })} />}
      </Field>
      <Picks
        legend="Propose on incidents of these services"
        options={services}
        chosen={draft.serviceIds}
        onChange={(serviceIds) => setDraft({ ...draft, serviceIds })}
      />
      {save.error && !save.hasFieldErrors ? <Banner tone="danger">{humanMessage(save.error)}</Banner> : null}
      <div className="row">
        <Button tone="primary" type="submit" busy={save.busy}>
          Save list
        </Button>
        <Button tone="ghost" onClick={() => setDraft(null)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** The first error on one entry of a list field (`emails.2`), in words that say which entry. */
function findIndexed(fieldError: (name: string) => string | undefined, field: string): string | undefined {
  for (let i = 0; i < 500; i += 1) {
    const error = fieldError(`${field}.${i}`);
    if (error) return `Entry ${i + 1}: ${error}`;
  }
  return undefined;
}
