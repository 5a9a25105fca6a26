import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isStaff } from '../../../core/permissions';
import { humanMessage } from '../api/client';
import * as meApi from '../api/endpoints/me';
import { useMe } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { ChangePasswordIn, MeT } from '../api/types';
import { Banner, Button, Field, Loading } from '../ui/kit';

/**
 * Change your own password with the current one. Other sessions end; the API tokens of staff
 * are revoked unless they untick the box. Used on the Settings page and on "choose a new
 * password" after an admin's reset.
 */
export function PasswordForm({ me, temporary, onChanged }: { me: MeT; temporary?: boolean; onChanged: (revokedTokens: number) => void }) {
  const [form, setForm] = useState({ currentPassword: '', newPassword: '', repeat: '', revokeApiTokens: true });
  const [mismatch, setMismatch] = useState(false);
  // Who I am is read again before going on: the next page must not see "must change password" still.
  const change = useApiMutation({
    mutationFn: (body: ChangePasswordIn) => meApi.changePassword(body),
    invalidates: [keys.me],
    awaitRefresh: true,
  });
  const { error, fieldError, busy } = change;
  const staff = isStaff(me);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    change.reset();
    setMismatch(form.newPassword !== form.repeat);
    if (form.newPassword !== form.repeat) return;
    const changed = await change.run({
      currentPassword: form.currentPassword,
      newPassword: form.newPassword,
      revokeApiTokens: form.revokeApiTokens,
    });
    if (!changed) return;
    setForm({ currentPassword: '', newPassword: '', repeat: '', revokeApiTokens: true });
    onChanged(changed.revokedApiTokens);
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="password-heading">
      <h2 id="password-heading">{temporary ? 'Choose a new password' : 'Change your password'}</h2>
      {error && !change.hasFieldErrors ? <Banner tone="danger">{humanMessage(error)}</Banner> : null}
      <Field label={temporary ? 'Temporary password (from your admin)' : 'Current password'} error={fieldError('currentPassword')}>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="current-password"
            value={form.currentPassword}
            onChange={(e) => setForm({ ...form, currentPassword: e.target.value })}
          />
        )}
      </Field>
      <Field label="New password" hint="At least 12 characters. A few unrelated words make a good one." error={fieldError('newPassword')}>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            value={form.newPassword}
            onChange={(e) => setForm({ ...form, newPassword: e.target.value })}
          />
        )}
      </Field>
      <Field label="New password again" error={mismatch ? 'does not match the new password' : undefined}>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            value={form.repeat}
            onChange={(e) => setForm({ ...form, repeat: e.target.value })}
          />
        )}
      </Field>
      {staff && (
        <label className="choice" style={{ marginBottom: '1rem' }}>
          <input type="checkbox" checked={form.revokeApiTokens} onChange={(e) => setForm({ ...form, revokeApiTokens: e.target.checked })} />
          Also revoke my API tokens (integrations using them stop working until given a new one)
        </label>
      )}
      <p className="muted">You stay signed in here; every other browser where you are signed in is signed out.</p>
      <Button tone="primary" type="submit" busy={busy}>
        {temporary ? 'Save my new password' : 'Change password'}
      </Button>
    </form>
  );
}

/** Only paths inside Firebreak are followed afterwards: never another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') && !next.startsWith('/choose-password')
    ? next
    : '/';
}

/** After signing in with a temporary password from an admin: nothing else until a new one is chosen. */
export function ChoosePassword() {
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  if (me.isPending) return <Loading what="Firebreak" />;
  if (!me.data) return <Navigate to="/sign-in" replace />;
  if (!me.data.mustChangePassword) return <Navigate to={safeNext(params.get('next'))} replace />;
  return (
    <main className="signin" id="main">
      <div className="row" style={{ marginBottom: '1rem' }}>
        <img src="/favicon.svg" alt="" width={36} height={36} />
        <h1>Welcome back, {me.data.name}</h1>
      </div>
      <Banner title="Your admin reset your password">
        Choose a new password of your own before you go on. Use the temporary password you were given as the current one.
      </Banner>
      <PasswordForm me={me.data} temporary onChanged={() => navigate(safeNext(params.get('next')), { replace: true })} />
    </main>
  );
}
