import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  CANNED_REPLY_STATES,
  CANNED_REPLY_VARIABLE_NAMES,
  CANNED_REPLY_VARIABLES,
  type CannedReplyState,
} from '../../../core/canned-replies';
import { isManager } from '../../../core/permissions';
import { ON_HOLD_REASONS, type OnHoldReason, RESOLUTION_CODES, type ResolutionCode } from '../../../core/vocabulary';
import { ErrorNote } from '../admin/ErrorNote';
import { humanMessage } from '../api/client';
import * as cannedApi from '../api/endpoints/canned-replies';
import { useMe, useTeams } from '../api/hooks';
import { useApiMutation } from '../api/mutation';
import { Banner, Button, EmptyState, Field, IdSelect, Loading, PageHeader } from '../ui/kit';
import { ON_HOLD_LABEL, RESOLUTION_LABEL, STATE_LABEL } from '../ui/labels';

interface Draft {
  name: string;
  body: string;
  visibility: 'public' | 'internal';
  scope: 'shared' | 'personal';
  state: CannedReplyState | '';
  onHoldReason: OnHoldReason | '';
  resolutionCode: ResolutionCode | '';
  teamId: string;
}

const EMPTY: Draft = {
  name: '',
  body: '',
  visibility: 'public',
  scope: 'personal',
  state: '',
  onHoldReason: '',
  resolutionCode: '',
  teamId: '',
};

const draftOf = (r: cannedApi.CannedReplyT): Draft => ({
  name: r.name,
  body: r.body,
  visibility: r.visibility,
  scope: r.scope,
  state: r.changes.state ?? '',
  onHoldReason: r.changes.onHoldReason ?? '',
  resolutionCode: r.changes.resolutionCode ?? '',
  teamId: r.changes.teamId ?? '',
});

const bodyOf = (d: Draft): cannedApi.SaveCannedReplyIn => ({
  name: d.name,
  body: d.body,
  visibility: d.visibility,
  scope: d.scope,
  changes: {
    state: d.state || null,
    onHoldReason: d.state === 'on_hold' ? d.onHoldReason || null : null,
    resolutionCode: d.state === 'resolved' ? d.resolutionCode || null : null,
    teamId: d.teamId || null,
    assigneeId: null,
  },
});

/**
 * Canned replies (issue 18 item 4): every agent keeps personal ones; managers and admins keep
 * the shared ones the whole desk uses. Agents insert them from the composer with `/`.
 */
export default function CannedReplies() {
  const me = useMe().data;
  const manager = !!me && isManager(me);
  const replies = useQuery({ queryKey: cannedApi.cannedRepliesKey, queryFn: cannedApi.list });
  const teams = useTeams();
  const [editing, setEditing] = useState<cannedApi.CannedReplyT | 'new' | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const save = useApiMutation({
    mutationFn: (d: Draft) =>
      editing && editing !== 'new' ? cannedApi.update(editing.id, editing.version, bodyOf(d)) : cannedApi.create(bodyOf(d)),
    invalidates: [cannedApi.cannedRepliesKey],
  });
  const remove = useApiMutation({
    mutationFn: (r: cannedApi.CannedReplyT) => cannedApi.remove(r.id, r.version),
    invalidates: [cannedApi.cannedRepliesKey],
  });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const open = (r: cannedApi.CannedReplyT | 'new') => {
    save.reset();
    setEditing(r);
    setDraft(r === 'new' ? { ...EMPTY, scope: manager ? 'shared' : 'personal' } : draftOf(r));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await save.run(draft)) setEditing(null);
  };
  const items = replies.data?.items ?? [];
  const mayEdit = (r: cannedApi.CannedReplyT) => r.scope === 'personal' || manager;

  return (
    <div className="stack canned-replies-page">
      <PageHeader title="Canned replies">
        {editing === null && (
          <Button tone="primary" onClick={() => open('new')}>
            New canned reply
          </Button>
        )}
      </PageHeader>
      <p className="muted">
        Type <kbd className="kbd">/</kbd> at the start of a reply (or press <kbd className="kbd">c</kbd> on a ticket) to insert one.{' '}
        {manager
          ? 'Shared replies are for the whole desk; personal ones only for you.'
          : 'Your personal replies are only for you; managers keep the shared ones.'}
      </p>
      {editing !== null && (
        <form className="card stack" onSubmit={submit} aria-labelledby="canned-form-title">
          <h2 id="canned-form-title">{editing === 'new' ? 'New canned reply' : `Edit “${editing.name}”`}</h2>
          <Field label="Name" error={save.fieldError('name')}>
            {(p) => <input {...p} value={draft.name} onChange={(e) => set('name', e.target.value)} maxLength={80} required />}
          </Field>
          <Field
            label="Text"
            error={save.fieldError('body')}
            hint={`Variables: ${CANNED_REPLY_VARIABLE_NAMES.map((n) => `{${n}} (${CANNED_REPLY_VARIABLES[n]})`).join(', ')}`}
          >
            {(p) => <textarea {...p} value={draft.body} onChange={(e) => set('body', e.target.value)} required />}
          </Field>
          <div className="form-grid">
            <Field label="Sent as" error={save.fieldError('visibility')}>
              {(p) => (
                <select {...p} value={draft.visibility} onChange={(e) => set('visibility', e.target.value as Draft['visibility'])}>
                  <option value="public">Reply to the requester (public)</option>
                  <option value="internal">Work note (internal)</option>
                </select>
              )}
            </Field>
            <Field label="Who can use it" error={save.fieldError('scope')}>
              {(p) => (
                <select {...p} value={draft.scope} onChange={(e) => set('scope', e.target.value as Draft['scope'])}>
                  <option value="personal">Only me (personal)</option>
                  {(manager || draft.scope === 'shared') && <option value="shared">The whole desk (shared)</option>}
                </select>
              )}
            </Field>
            <Field label="Also set the state" error={save.fieldError('changes.state')}>
              {(p) => (
                <select {...p} value={draft.state} onChange={(e) => set('state', e.target.value as Draft['state'])}>
                  <option value="">Leave the state</option>
                  {CANNED_REPLY_STATES.map((s) => (
                    <option key={s} value={s}>
                      {STATE_LABEL[s]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {draft.state === 'on_hold' && (
              <Field label="On hold because" error={save.fieldError('changes.onHoldReason')}>
                {(p) => (
                  <select {...p} value={draft.onHoldReason} onChange={(e) => set('onHoldReason', e.target.value as Draft['onHoldReason'])}>
                    <option value="">Choose…</option>
                    {ON_HOLD_REASONS.map((r) => (
                      <option key={r} value={r}>
                        {ON_HOLD_LABEL[r]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {draft.state === 'resolved' && (
              <Field label="Resolution" error={save.fieldError('changes.resolutionCode')}>
                {(p) => (
                  <select
                    {...p}
                    value={draft.resolutionCode}
                    onChange={(e) => set('resolutionCode', e.target.value as Draft['resolutionCode'])}
                  >
                    <option value="">Choose…</option>
                    {RESOLUTION_CODES.map((r) => (
                      <option key={r} value={r}>
                        {RESOLUTION_LABEL[r]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            <IdSelect
              label="Also assign to team"
              value={draft.teamId}
              onChange={(e) => set('teamId', e.target.value)}
              options={teams.data?.items ?? []}
              none="Leave the team"
              error={save.fieldError('changes.teamId')}
            />
          </div>
          {save.error && !save.hasFieldErrors ? <ErrorNote error={save.error} /> : null}
          <div className="form-actions">
            <Button tone="primary" type="submit" busy={save.busy}>
              Save
            </Button>
            <Button onClick={() => setEditing(null)}>Cancel</Button>
          </div>
        </form>
      )}
      {remove.error ? <Banner tone="danger">{humanMessage(remove.error)}</Banner> : null}
      <section className="card" aria-labelledby="canned-list-title">
        <h2 id="canned-list-title">Replies</h2>
        {replies.error ? (
          <Banner tone="danger">{humanMessage(replies.error)}</Banner>
        ) : !replies.data ? (
          <Loading what="the canned replies" />
        ) : items.length === 0 ? (
          <EmptyState title="No canned replies yet." />
        ) : (
          <ul className="plain-list">
            {items.map((r) => (
              <li key={r.id} className="canned-row">
                <div>
                  <strong>{r.name}</strong>{' '}
                  <span className="muted">
                    {r.scope === 'shared' ? 'Shared' : 'Personal'} · {r.visibility === 'public' ? 'reply' : 'work note'}
                    {r.changesSummary ? ` · ${r.changesSummary}` : ''}
                  </span>
                  <p>{r.body}</p>
                </div>
                {mayEdit(r) && (
                  <div className="form-actions">
                    <Button onClick={() => open(r)}>
                      Edit<span className="visually-hidden"> {r.name}</span>
                    </Button>
                    <Button tone="danger" busy={remove.busy} onClick={() => remove.run(r)}>
                      Delete<span className="visually-hidden"> {r.name}</span>
                    </Button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
