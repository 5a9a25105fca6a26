import { type FormEvent, useState } from 'react';
import * as directoryApi from '../api/endpoints/directory';
import { useApiTokens } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { ApiTokenT, CreateApiTokenIn, CreatedApiTokenT } from '../api/types';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Banner, Button, Field, Loading, PageHeader, When } from '../ui/kit';
import { ErrorNote } from './ErrorNote';
import { RecordTable } from './RecordTable';

/**
 * API tokens are created (the form stays open: the secret is shown once, above it) and revoked,
 * never edited, so the page has the admin table without list-and-edit's Edit buttons.
 */
export function TokensAdmin() {
  const tokens = useApiTokens();
  const save = useApiMutation({ mutationFn: directoryApi.createToken, invalidates: [keys.apiTokens] });
  const revoke = useApiMutation({ mutationFn: directoryApi.revokeToken, invalidates: [keys.apiTokens] });
  const [form, setForm] = useState({ name: '', scope: 'write' as CreateApiTokenIn['scope'], expiresInDays: '' });
  const [created, setCreated] = useState<CreatedApiTokenT | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenT | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const token = await save.run({
      name: form.name,
      scope: form.scope,
      ...(form.expiresInDays ? { expiresInDays: Number(form.expiresInDays) } : {}),
    });
    if (token) {
      setCreated(token);
      setForm({ name: '', scope: 'write', expiresInDays: '' });
    }
  };
  return (
    <div className="stack">
      <PageHeader title="API tokens" />
      {created && (
        <Banner tone="success" title={`Token “${created.name}” created — copy it now`}>
          <p>This is the only time it is shown. Send it as “Authorization: Bearer …”.</p>
          <p className="secret" data-testid="new-token">
            {created.token}
          </p>
        </Banner>
      )}
      <form className="card" onSubmit={submit} noValidate>
        <h2>New token</h2>
        <ErrorNote error={save.error} />
        <div className="form-grid">
          <Field label="Name" hint="What uses it, e.g. “Grafana”." error={save.fieldError('name')}>
            {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <Field label="Scope" error={save.fieldError('scope')}>
            {(p) => (
              <select {...p} value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value as CreateApiTokenIn['scope'] })}>
                <option value="write">Read and write</option>
                <option value="read">Read only</option>
              </select>
            )}
          </Field>
          <Field label="Expires after (days)" hint="Empty: never." error={save.fieldError('expiresInDays')}>
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                value={form.expiresInDays}
                onChange={(e) => setForm({ ...form, expiresInDays: e.target.value })}
              />
            )}
          </Field>
        </div>
        <Button tone="primary" type="submit" busy={save.busy}>
          Create token
        </Button>
      </form>
      {tokens.isPending ? (
        <Loading what="tokens" />
      ) : (
        <RecordTable<ApiTokenT>
          items={tokens.data?.items ?? []}
          columns={['Name', 'Starts with', 'Scope', 'Last used', 'Status']}
          cells={(t) => (
            <>
              <td>{t.name}</td>
              <td className="mono">{t.prefix}…</td>
              <td>{t.scope}</td>
              <td>{t.lastUsedAt ? <When at={t.lastUsedAt} /> : 'never'}</td>
              <td>
                {t.revokedAt ? (
                  'revoked'
                ) : (
                  <Button
                    tone="danger"
                    onClick={() => {
                      revoke.reset();
                      setRevoking(t);
                    }}
                  >
                    Revoke<span className="visually-hidden"> {t.name}</span>
                  </Button>
                )}
              </td>
            </>
          )}
        />
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke the token “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        error={<ErrorNote error={revoke.error} />}
        onCancel={() => setRevoking(null)}
        onConfirm={async () => (revoking ? (await revoke.run(revoking.id)) !== undefined : true)}
      >
        <p>Scripts and tools using it are refused from their next call. This cannot be undone; they would need a new token.</p>
      </ConfirmDialog>
    </div>
  );
}
