import { type FormEvent, useState } from 'react';
import { type LocalPasswordPolicy, passwordAllowed } from '../../../core/single-sign-on';
import { ROLES, type Role } from '../../../core/vocabulary';
import * as directoryApi from '../api/endpoints/directory';
import { useMe, useUsers } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { PasswordResetT, UpdateUserIn, UserT } from '../api/types';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Banner, Button, Dialog, Field, FormActions, Loading, PageHeader } from '../ui/kit';
import { ROLE_LABEL, ROLE_MEANS } from '../ui/labels';
import { ErrorNote } from './ErrorNote';
import { RecordTable } from './RecordTable';

export function UsersAdmin() {
  const [q, setQ] = useState('');
  const users = useUsers({ q: q || undefined });
  const edit = useApiMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserIn }) => directoryApi.updateUser(id, body),
    invalidates: [keys.users.all],
  });
  const [resetting, setResetting] = useState<UserT | null>(null);
  const me = useMe().data;
  // Irreversible or far-reaching changes wait for a confirmation: which one is being asked about.
  const [asking, setAsking] = useState<{ user: UserT; change: 'role'; role: Role } | { user: UserT; change: 'deactivate' } | null>(null);
  const apply = async (user: UserT, body: UpdateUserIn) => (await edit.run({ id: user.id, body })) !== undefined;
  return (
    <div className="stack">
      <PageHeader title="People" />
      <InviteUser localPasswords={me?.localPasswords ?? { enabled: true, breakGlassEmail: null }} />
      {me && !me.localPasswords.enabled && (
        <p className="muted">
          Passwords are turned off: people sign in with single sign-on, so only the emergency admin
          {me.localPasswords.breakGlassEmail ? ` (${me.localPasswords.breakGlassEmail})` : ''} can be given one.
        </p>
      )}
      <div className="card">
        <Field label="Find a person">
          {(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name or e-mail" />}
        </Field>
        <ErrorNote error={asking ? null : edit.error} />
        {users.isPending ? (
          <Loading what="people" />
        ) : (
          <RecordTable<UserT>
            className="data people-table"
            items={users.data?.items ?? []}
            columns={['Name', 'E-mail', 'Role', 'Status', 'Password']}
            cells={(u) => (
              <>
                <td>{u.name}</td>
                <td className="people-email">{u.email}</td>
                <td>
                  <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                    Role of {u.name}
                  </label>
                  <select
                    id={`role-${u.id}`}
                    value={u.role}
                    onChange={(e) => {
                      edit.reset();
                      setAsking({ user: u, change: 'role', role: e.target.value as Role });
                    }}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {ROLE_LABEL[r]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {u.active ? (
                    <Button
                      tone="danger"
                      onClick={() => {
                        edit.reset();
                        setAsking({ user: u, change: 'deactivate' });
                      }}
                    >
                      Deactivate<span className="visually-hidden"> {u.name}</span>
                    </Button>
                  ) : (
                    <Button onClick={() => apply(u, { active: true })}>
                      Reactivate<span className="visually-hidden"> {u.name}</span>
                    </Button>
                  )}
                </td>
                <td>
                  {/* Your own password is changed in Settings, with the current one. */}
                  {me && !passwordAllowed(me.localPasswords, u) ? <span className="muted">Single sign-on only</span> : null}
                  {u.active && u.id !== me?.id && (!me || passwordAllowed(me.localPasswords, u)) && (
                    <Button onClick={() => setResetting(u)}>
                      Reset password<span className="visually-hidden"> of {u.name}</span>
                    </Button>
                  )}
                </td>
              </>
            )}
          />
        )}
      </div>
      <ResetPasswordDialog person={resetting} onClose={() => setResetting(null)} />
      <ConfirmDialog
        open={asking?.change === 'role'}
        title={asking?.change === 'role' ? `Make ${asking.user.name} ${article(asking.role)} ${ROLE_LABEL[asking.role]}?` : ''}
        confirmLabel="Change the role"
        tone="primary"
        error={<ErrorNote error={edit.error} />}
        onCancel={() => setAsking(null)}
        onConfirm={() => (asking?.change === 'role' ? apply(asking.user, { role: asking.role }) : Promise.resolve(true))}
      >
        {asking?.change === 'role' && (
          <p>
            {asking.user.name} is {article(asking.user.role)} {ROLE_LABEL[asking.user.role]} now.{' '}
            {article(asking.role) === 'an' ? 'An' : 'A'} {ROLE_LABEL[asking.role]} {ROLE_MEANS[asking.role]}. It takes effect on their next
            click.
          </p>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={asking?.change === 'deactivate'}
        title={asking ? `Deactivate ${asking.user.name}?` : ''}
        confirmLabel="Deactivate"
        error={<ErrorNote error={edit.error} />}
        onCancel={() => setAsking(null)}
        onConfirm={() => (asking ? apply(asking.user, { active: false }) : Promise.resolve(true))}
      >
        <p>
          They are signed out at once and can no longer sign in; their API tokens stop working. Their tickets and history stay. You can
          reactivate them later.
        </p>
      </ConfirmDialog>
    </div>
  );
}

/**
 * An admin resets a password: Firebreak makes a temporary one, shown here once for the admin to
 * pass on; the person chooses their own at their next sign-in. Their sessions end, and their API
 * tokens are revoked unless the admin unticks the box (an integration account's, say).
 */
function ResetPasswordDialog({ person, onClose }: { person: UserT | null; onClose: () => void }) {
  const reset = useApiMutation({
    mutationFn: ({ id, revokeApiTokens }: { id: string; revokeApiTokens: boolean }) => directoryApi.resetPassword(id, { revokeApiTokens }),
    invalidates: [keys.apiTokens],
  });
  const [revokeApiTokens, setRevokeApiTokens] = useState(true);
  const [result, setResult] = useState<PasswordResetT | null>(null);
  const close = () => {
    setResult(null);
    setRevokeApiTokens(true);
    reset.reset();
    onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!person) return;
    const answer = await reset.run({ id: person.id, revokeApiTokens });
    if (answer) setResult(answer);
  };
  return (
    <Dialog open={person !== null} title={`Reset the password of ${person?.name ?? ''}`} onClose={close}>
      {result ? (
        <div className="stack">
          <Banner tone="success" title="The password is reset">
            {person?.name} was signed out everywhere
            {result.revokedApiTokens > 0
              ? ` and ${result.revokedApiTokens} API token${result.revokedApiTokens === 1 ? ' was' : 's were'} revoked`
              : ''}
            .
          </Banner>
          <p>
            Give them this temporary password in person or by phone. It is shown only now; they choose their own when they sign in with it.
          </p>
          <p>
            <code className="secret" data-testid="temporary-password">
              {result.temporaryPassword}
            </code>
          </p>
          <Button tone="primary" onClick={close}>
            Done
          </Button>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>
            Firebreak makes a temporary password for {person?.name} ({person?.email}) and signs them out everywhere. They must choose a new
            password when they sign in with it.
          </p>
          <ErrorNote error={reset.error} />
          <label className="choice" style={{ marginBottom: '1rem' }}>
            <input type="checkbox" checked={revokeApiTokens} onChange={(e) => setRevokeApiTokens(e.target.checked)} />
            Also revoke their API tokens
          </label>
          <FormActions busy={reset.busy} submit="Reset password" onCancel={close} />
        </form>
      )}
    </Dialog>
  );
}

const article = (role: string) => (role === 'admin' || role === 'agent' ? 'an' : 'a');

function InviteUser({ localPasswords }: { localPasswords: LocalPasswordPolicy }) {
  const create = useApiMutation({ mutationFn: directoryApi.createUser, invalidates: [keys.users.all] });
  const [form, setForm] = useState({ name: '', email: '', role: 'requester' as Role, password: '' });
  const [done, setDone] = useState<string | null>(null);
  // With passwords off, a first password is offered only when adding the break-glass admin.
  const offerPassword = passwordAllowed(localPasswords, form);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await create.run({ ...form, password: (offerPassword && form.password) || undefined });
    if (created) {
      setDone(created.email);
      setForm({ name: '', email: '', role: 'requester', password: '' });
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>Add a person</h2>
      {done && (
        <Banner tone="success">
          {done} was added.{' '}
          {localPasswords.enabled
            ? 'Share the first password with them; they can change it after signing in.'
            : 'They sign in with single sign-on.'}
        </Banner>
      )}
      <ErrorNote error={create.error} />
      <div className="form-grid">
        <Field label="Name" error={create.fieldError('name')}>
          {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
        </Field>
        <Field label="E-mail" error={create.fieldError('email')}>
          {(p) => <input {...p} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />}
        </Field>
        <Field label="Role" error={create.fieldError('role')}>
          {(p) => (
            <select {...p} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {offerPassword && (
          <Field
            label="First password"
            hint="At least 12 characters. Leave empty for people who will only e-mail."
            error={create.fieldError('password')}
          >
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="new-password"
                value={form.password}
                onChange={(e) => setForm({ ...form, password: e.target.value })}
              />
            )}
          </Field>
        )}
      </div>
      <Button tone="primary" type="submit" busy={create.busy}>
        Add person
      </Button>
    </form>
  );
}
