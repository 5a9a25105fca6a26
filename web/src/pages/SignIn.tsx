import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isSingleSignOnFailure, SINGLE_SIGN_ON_FAILURES } from '../../../core/single-sign-on';
import { humanMessage } from '../api/client';
import * as meApi from '../api/endpoints/me';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { SignInIn } from '../api/types';
import { Banner, Button, Field } from '../ui/kit';

/** Only paths inside Firebreak are followed after sign-in: never another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

export function SignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useApiMutation({
    // Then who am I, as the session now says, so every page starts from it.
    mutationFn: async (body: SignInIn) => {
      await meApi.signIn(body);
      return meApi.get();
    },
    onSuccess: (me, _body, client) => client.setQueryData(keys.me, me),
  });
  const { error } = signIn;
  // Only a session that ended while in use says so (signInUrl adds `ended`); a first visit just asks to sign in.
  const ended = params.has('ended');
  const options = useQuery({ queryKey: keys.signInOptions, queryFn: meApi.signInOptions, staleTime: 60_000 });
  const sso = options.data?.singleSignOn ?? null;
  // With passwords off, the form is for the break-glass admin only: behind a link, not offered to everyone.
  const breakGlass = params.has('break-glass');
  const passwordsShown = options.isError || options.data?.localPasswords === true || breakGlass;
  const ssoError = params.get('sso_error');
  const ssoStart = sso ? `${sso.startUrl}?returnTo=${encodeURIComponent(safeNext(params.get('next')))}` : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const me = await signIn.run({ email, password });
    if (!me) return;
    const next = safeNext(params.get('next'));
    navigate(me.mustChangePassword ? `/choose-password?next=${encodeURIComponent(next)}` : next, { replace: true });
  };

  return (
    <main className="signin" id="main">
      <div className="row" style={{ marginBottom: '1rem' }}>
        <img src="/favicon.svg" alt="" width={36} height={36} />
        <h1>Sign in to Firebreak</h1>
      </div>
      {ended && !error && <Banner title="Please sign in">Your session ended. After signing in you will be back where you were.</Banner>}
      {error && !signIn.hasFieldErrors ? <Banner tone="danger">{humanMessage(error)}</Banner> : null}
      {ssoError && !error ? (
        <Banner tone={ssoError === 'provider_unreachable' ? 'warning' : 'danger'} title="Single sign-on did not work">
          {isSingleSignOnFailure(ssoError) ? SINGLE_SIGN_ON_FAILURES[ssoError] : 'The sign-in did not finish. Please start again.'}
          {ssoError === 'provider_unreachable' && options.data?.localPasswords === false
            ? ' In an emergency, the break-glass admin can still sign in with a password.'
            : ''}
        </Banner>
      ) : null}
      {options.isPending ? <p className="muted">Loading…</p> : null}
      {sso && ssoStart ? (
        <div className="card signin-sso">
          {/* A full page load: the server sends the browser on to the identity provider. */}
          <a className="btn btn-primary signin-sso-button" href={ssoStart}>
            Sign in with {sso.name}
          </a>
          {!passwordsShown ? (
            <p className="muted" style={{ marginTop: '1rem', marginBottom: 0 }}>
              Emergency admin? <Link to="/sign-in?break-glass">Sign in with a password</Link>
            </p>
          ) : null}
        </div>
      ) : null}
      {sso && passwordsShown ? <p className="signin-or muted">or with your e-mail and password</p> : null}
      {passwordsShown ? (
        <form className="card" onSubmit={submit} noValidate>
          <Field label="E-mail" error={signIn.fieldError('email')}>
            {(p) => <input {...p} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />}
          </Field>
          <Field label="Password" error={signIn.fieldError('password')}>
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            )}
          </Field>
          <Button tone="primary" type="submit" busy={signIn.busy}>
            Sign in
          </Button>
          <p className="muted" style={{ marginTop: '1rem' }}>
            {options.data?.localPasswords === false
              ? 'Password sign-in is kept for the break-glass admin, for when single sign-on is down.'
              : 'Forgotten your password? Ask an admin to reset it: they give you a temporary password, and you choose a new one when you sign in with it.'}
          </p>
        </form>
      ) : null}
    </main>
  );
}
