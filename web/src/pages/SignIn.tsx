import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, humanMessage } from '../api/client';
import type { MeT } from '../api/types';
import { Banner, Button, Field } from '../ui/kit';

/** Only paths inside Firebreak are followed after sign-in: never another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

export function SignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  // Only a session that ended while in use says so (signInUrl adds `ended`); a first visit just asks to sign in.
  const ended = params.has('ended');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/auth/sign-in', { email, password }, { allowUnauthenticated: true });
      const me = await api<MeT>('GET', '/me');
      client.setQueryData(['me'], me);
      const next = safeNext(params.get('next'));
      navigate(me.mustChangePassword ? `/choose-password?next=${encodeURIComponent(next)}` : next, { replace: true });
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <main className="signin" id="main">
      <div className="row" style={{ marginBottom: '1rem' }}>
        <img src="/favicon.svg" alt="" width={36} height={36} />
        <h1>Sign in to Firebreak</h1>
      </div>
      {ended && !error && <Banner title="Please sign in">Your session ended. After signing in you will be back where you were.</Banner>}
      {error && !apiError?.fieldErrors.length && <Banner tone="danger">{humanMessage(error)}</Banner>}
      <form className="card" onSubmit={submit} noValidate>
        <Field label="E-mail" error={apiError?.field('email')}>
          {(p) => <input {...p} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />}
        </Field>
        <Field label="Password" error={apiError?.field('password')}>
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
        <Button tone="primary" type="submit" busy={busy}>
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
