import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api, humanMessage } from '../api/client';
import { useMe } from '../api/hooks';
import type { MeT } from '../api/types';
import { Banner, Button, Field, PageHeader } from '../ui/kit';

/** A person's own settings: name, time zone, and whether Firebreak e-mails them. */
export default function Settings() {
  const me = useMe().data as MeT;
  const client = useQueryClient();
  const [form, setForm] = useState({ name: me.name, timeZone: me.timeZone, emailNotifications: me.emailNotifications });
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      const updated = await api<MeT>('PATCH', '/me', form);
      client.setQueryData(['me'], updated);
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };
  const fieldError = (f: string) => (error instanceof ApiError ? error.field(f) : undefined);
  return (
    <div className="narrow">
      <PageHeader title="Your settings" />
      {saved && <Banner tone="success">Saved.</Banner>}
      {error && !(error instanceof ApiError && error.fieldErrors.length) ? <Banner tone="danger">{humanMessage(error)}</Banner> : null}
      <form className="card" onSubmit={submit} noValidate>
        <p className="muted">
          Signed in as {me.email} ({me.role}).
        </p>
        <Field label="Name" error={fieldError('name')}>
          {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
        </Field>
        <Field label="Time zone" hint="An IANA name such as Europe/Berlin or America/New_York." error={fieldError('timeZone')}>
          {(p) => <input {...p} value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })} />}
        </Field>
        <label className="choice" style={{ marginBottom: '1rem' }}>
          <input
            type="checkbox"
            checked={form.emailNotifications}
            onChange={(e) => setForm({ ...form, emailNotifications: e.target.checked })}
          />
          E-mail me about my tickets (replies, resolutions, assignments, SLA warnings)
        </label>
        <Button tone="primary" type="submit">
          Save
        </Button>
      </form>
    </div>
  );
}
