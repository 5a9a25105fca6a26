import { type FormEvent, useState } from 'react';
import { isStaff } from '../../../core/permissions';
import { passwordAllowed } from '../../../core/single-sign-on';
import { humanMessage } from '../api/client';
import * as meApi from '../api/endpoints/me';
import { useMe } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { MeT, UpdateMeIn } from '../api/types';
import { Banner, Button, Field, PageHeader } from '../ui/kit';
import { PasswordForm } from './ChangePassword';

const GROUPS = [
  { id: 'my_requests', label: 'My own tickets: replies, waiting for me, resolved' },
  { id: 'ticket_work', label: 'Work for me: assignments, escalations, requesters’ replies' },
  { id: 'sla', label: 'SLA warnings and breaches' },
  { id: 'paging', label: 'Pages when I am on call (always in the app)' },
  { id: 'major_incidents', label: 'Storms of reports: declare a major incident? (managers, in the app only)' },
];

/** The zones this browser knows (IANA names), offered as a searchable list; UTC first. */
const TIME_ZONES: string[] = (() => {
  try {
    return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  } catch {
    return ['UTC'];
  }
})();

/** A person's own settings: name, time zone, whether Firebreak e-mails them, and their password. */
export default function Settings() {
  const me = useMe().data as MeT;
  const [form, setForm] = useState({ name: me.name, timeZone: me.timeZone, emailNotifications: me.emailNotifications });
  const [prefs, setPrefs] = useState<Record<string, Record<string, boolean | undefined> | undefined>>(me.notificationPreferences ?? {});
  const groups = isStaff(me) ? GROUPS : GROUPS.filter((g) => g.id === 'my_requests');
  const isOn = (group: string, channel: string) => prefs[group]?.[channel] !== false;
  const toggle = (group: string, channel: string) => setPrefs({ ...prefs, [group]: { ...prefs[group], [channel]: !isOn(group, channel) } });
  const save = useApiMutation({
    mutationFn: (body: UpdateMeIn) => meApi.update(body),
    onSuccess: (updated, _body, client) => client.setQueryData(keys.me, updated),
  });
  const { error, fieldError } = save;
  const [saved, setSaved] = useState(false);
  const [passwordChanged, setPasswordChanged] = useState<number | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (await save.run({ ...form, notificationPreferences: prefs })) setSaved(true);
  };
  return (
    <div className="narrow">
      <PageHeader title="Your settings" />
      {saved && <Banner tone="success">Saved.</Banner>}
      {error && !save.hasFieldErrors ? <Banner tone="danger">{humanMessage(error)}</Banner> : null}
      <form className="card" onSubmit={submit} noValidate>
        <p className="muted">
          Signed in as {me.email} ({me.role}).
        </p>
        <Field label="Name" error={fieldError('name')}>
          {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
        </Field>
        <Field label="Time zone" hint="Type to search, e.g. Berlin or New York." error={fieldError('timeZone')}>
          {(p) => (
            <>
              <input
                {...p}
                list="time-zones"
                autoComplete="off"
                value={form.timeZone}
                onChange={(e) => setForm({ ...form, timeZone: e.target.value })}
              />
              <datalist id="time-zones">
                {TIME_ZONES.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll('_', ' ')}
                  </option>
                ))}
              </datalist>
            </>
          )}
        </Field>
        <label className="choice" style={{ marginBottom: '1rem' }}>
          <input
            type="checkbox"
            checked={form.emailNotifications}
            onChange={(e) => setForm({ ...form, emailNotifications: e.target.checked })}
          />
          Send me e-mail at all (turning this off stops every e-mail below)
        </label>
        <table className="data" style={{ marginBottom: '1rem' }}>
          <caption style={{ textAlign: 'left', fontWeight: 600, marginBottom: '.4rem' }}>What reaches me, and how</caption>
          <thead>
            <tr>
              <th scope="col">About</th>
              <th scope="col">E-mail</th>
              <th scope="col">In the app (the bell)</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.id}>
                <th scope="row" style={{ fontWeight: 500 }}>
                  {g.label}
                </th>
                {['email', 'in_app'].map((channel) => (
                  <td key={channel}>
                    <input
                      type="checkbox"
                      aria-label={`${g.label}: ${channel === 'email' ? 'e-mail' : 'in the app'}`}
                      checked={isOn(g.id, channel)}
                      disabled={channel === 'email' && !form.emailNotifications}
                      onChange={() => toggle(g.id, channel)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <Button tone="primary" type="submit">
          Save
        </Button>
      </form>
      {passwordChanged !== null && (
        <Banner tone="success">
          Your password is changed. Other browsers were signed out
          {passwordChanged > 0 ? ` and ${passwordChanged} API token${passwordChanged === 1 ? ' was' : 's were'} revoked` : ''}.
        </Banner>
      )}
      <PasswordSection me={me} onChanged={setPasswordChanged} />
    </div>
  );
}

/**
 * "Change your password" only for someone who has one and may keep it: people made through single
 * sign-on have none, and with passwords off only the break-glass admin has one. Everyone else is
 * told why there is nothing to change.
 */
function PasswordSection({ me, onChanged }: { me: MeT; onChanged: (revokedTokens: number) => void }) {
  if (me.hasPassword && passwordAllowed(me.localPasswords, me)) return <PasswordForm me={me} onChanged={onChanged} />;
  return (
    <section className="card" aria-labelledby="password-heading" data-testid="no-password">
      <h2 id="password-heading">Password</h2>
      <p className="muted">
        {me.localPasswords.enabled
          ? 'You have no password here: you sign in with single sign-on, through your organisation’s account. Change that password where your organisation keeps it.'
          : 'Passwords are turned off here: you sign in with single sign-on, through your organisation’s account. Only the emergency admin keeps a password.'}
      </p>
    </section>
  );
}
