import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
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
          Forgotten your password? Ask an admin to reset it: they give you a temporary password, and you choose a new one when you sign in
          with it.
        </p>
      </form>
    </main>
  );
}
