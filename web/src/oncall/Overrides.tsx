import { type FormEvent, useState } from 'react';
import { ErrorNote } from '../admin/ErrorNote';
import * as onCallApi from '../api/endpoints/on-call';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import { useOverrides } from '../api/on-call-hooks';
import type { CreateOverrideIn, UserT } from '../api/types';
import { Button, Field, FormActions } from '../ui/kit';
import { fromZonedInput, toZonedInput } from '../ui/zoned-time';

/**
 * A schedule's overrides from now on — someone covering a shift over every layer — and, for
 * managers and admins, covering a shift and removing a cover. Overlapping covers are refused by
 * the server, which names the field.
 */
export function Overrides({
  scheduleId,
  scheduleName,
  staff,
  canChange,
  timeZone,
}: {
  scheduleId: string;
  scheduleName: string;
  staff: UserT[];
  canChange: boolean;
  /** The reader's own time zone (Settings): the form's times are in it, like the rest of the page. */
  timeZone: string;
}) {
  const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const overrides = useOverrides(scheduleId);
  // A cover changes who is on call now and the rota as well.
  const save = useApiMutation({
    mutationFn: (change: { add: CreateOverrideIn } | { remove: string }) =>
      'add' in change ? onCallApi.createOverride(scheduleId, change.add) : onCallApi.removeOverride(scheduleId, change.remove),
    invalidates: [keys.onCall.overrides.all, keys.onCall.rota.all, keys.onCall.now.all],
  });
  const nameOf = new Map(staff.map((u) => [u.id, u.name]));
  const now = Date.now();
  const upcoming = (overrides.data?.items ?? [])
    .filter((o) => new Date(o.endsAt).getTime() > now)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  const nextHour = new Date(now);
  nextHour.setMinutes(60, 0, 0);
  const blank = {
    userId: '',
    startsAt: toZonedInput(nextHour, timeZone),
    endsAt: toZonedInput(new Date(nextHour.getTime() + 86_400_000), timeZone),
  };
  const [form, setForm] = useState<typeof blank | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    const saved = await save.run({
      add: {
        userId: form.userId,
        // The inputs are in the reader's own time zone; the API takes instants.
        startsAt: fromZonedInput(form.startsAt, timeZone)?.toISOString() ?? '',
        endsAt: fromZonedInput(form.endsAt, timeZone)?.toISOString() ?? '',
      },
    });
    if (saved) setForm(null);
  };

  return (
    <section className="overrides" aria-label={`Overrides of ${scheduleName}`}>
      <h3>Overrides</h3>
      {upcoming.length === 0 ? (
        <p className="muted">Nobody covers a shift from now on.</p>
      ) : (
        <ul className="plain-list">
          {upcoming.map((o) => (
            <li key={o.id} className="row override-row">
              <span>
                <strong>{nameOf.get(o.userId) ?? 'Someone'}</strong> covers {when(o.startsAt)} – {when(o.endsAt)}
              </span>
              {canChange && (
                <Button tone="danger" busy={save.busy} onClick={() => save.run({ remove: o.id })}>
                  Remove<span className="visually-hidden"> the cover by {nameOf.get(o.userId) ?? 'someone'}</span>
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorNote error={save.error} />
      {canChange &&
        (form ? (
          <form onSubmit={submit} noValidate>
            <div className="form-grid">
              <Field label="Who covers" error={save.fieldError('userId')}>
                {(p) => (
                  <select {...p} value={form.userId} onChange={(e) => setForm({ ...form, userId: e.target.value })}>
                    <option value="">Choose a person…</option>
                    {staff.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="From" hint={`In your time zone, ${timeZone}.`} error={save.fieldError('startsAt')}>
                {(p) => (
                  <input
                    {...p}
                    type="datetime-local"
                    value={form.startsAt}
                    onChange={(e) => setForm({ ...form, startsAt: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Until" error={save.fieldError('endsAt')}>
                {(p) => (
                  <input {...p} type="datetime-local" value={form.endsAt} onChange={(e) => setForm({ ...form, endsAt: e.target.value })} />
                )}
              </Field>
            </div>
            <FormActions busy={save.busy} submit="Save cover" onCancel={() => setForm(null)} />
          </form>
        ) : (
          <Button
            onClick={() => {
              save.reset();
              setForm(blank);
            }}
          >
            Cover a shift…<span className="visually-hidden"> in {scheduleName}</span>
          </Button>
        ))}
    </section>
  );
}
