import { type FormEvent, useState } from 'react';
import { ErrorNote } from '../admin/ErrorNote';
import * as monitoringApi from '../api/endpoints/monitoring';
import { useServices } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { CheckT, CreateCheckIn } from '../api/types';
import { Field, FormActions } from '../ui/kit';

/** Add or edit a built-in check: only what an admin types here is ever probed. */
export function CheckForm({ check, onDone }: { check: CheckT | null; onDone: () => void }) {
  const save = useApiMutation({
    mutationFn: (body: CreateCheckIn) => (check ? monitoringApi.updateCheck(check.id, body) : monitoringApi.createCheck(body)),
    invalidates: [keys.monitoring.checks, keys.monitoring.checkResults.all],
  });
  const services = useServices();
  const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
  const [form, setForm] = useState({
    name: check?.name ?? '',
    serviceId: check?.serviceId ?? '',
    kind: check?.kind ?? 'http',
    target: check?.target ?? '',
    intervalSeconds: text(check?.intervalSeconds ?? 60),
    timeoutMs: text(check?.timeoutMs ?? 10_000),
    failuresBeforeDown: text(check?.failuresBeforeDown ?? 2),
    expectStatus: text(check?.expectStatus),
    keyword: check?.keyword ?? '',
    maxLatencyMs: text(check?.maxLatencyMs),
  });
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });
  // An empty box means "not set"; anything else goes as typed, so the server names what is wrong
  // with it (the one place a body may break its type on purpose, hence the cast).
  const number = (value: string) => (value.trim() === '' ? null : Number.isNaN(Number(value)) ? value : Number(value)) as number;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const http = form.kind === 'http';
    const body = {
      name: form.name,
      serviceId: form.serviceId || null,
      kind: form.kind,
      target: form.target,
      intervalSeconds: number(form.intervalSeconds),
      timeoutMs: number(form.timeoutMs),
      failuresBeforeDown: number(form.failuresBeforeDown),
      expectStatus: http ? number(form.expectStatus) : null,
      keyword: http && form.keyword !== '' ? form.keyword : null,
      maxLatencyMs: number(form.maxLatencyMs),
    };
    if (await save.run(body)) onDone();
  };
  const http = form.kind === 'http';
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="check-form-title">
      <h2 id="check-form-title">{check ? `Edit ${check.name}` : 'Add a check'}</h2>
      <ErrorNote error={save.error} />
      <div className="form-grid">
        <Field label="Name" error={save.fieldError('name')}>
          {(p) => <input {...p} value={form.name} onChange={(e) => set({ name: e.target.value })} />}
        </Field>
        <Field label="Service" hint="A check that is down opens an incident for it." error={save.fieldError('serviceId')}>
          {(p) => (
            <select {...p} value={form.serviceId} onChange={(e) => set({ serviceId: e.target.value })}>
              <option value="">No service</option>
              {(services.data?.items ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Kind" error={save.fieldError('kind')}>
          {(p) => (
            <select {...p} value={form.kind} onChange={(e) => set({ kind: e.target.value as CheckT['kind'] })}>
              <option value="http">HTTP(S) request</option>
              <option value="tcp">TCP connection</option>
            </select>
          )}
        </Field>
        <Field
          label={http ? 'URL' : 'Host and port'}
          hint={http ? 'An http:// or https:// address.' : 'e.g. db.example.com:5432'}
          error={save.fieldError('target')}
          className="field-wide"
        >
          {(p) => <input {...p} className="mono" value={form.target} onChange={(e) => set({ target: e.target.value })} />}
        </Field>
        <Field label="Every (seconds)" hint="At least 10." error={save.fieldError('intervalSeconds')}>
          {(p) => (
            <input {...p} inputMode="numeric" value={form.intervalSeconds} onChange={(e) => set({ intervalSeconds: e.target.value })} />
          )}
        </Field>
        <Field label="Timeout (ms)" error={save.fieldError('timeoutMs')}>
          {(p) => <input {...p} inputMode="numeric" value={form.timeoutMs} onChange={(e) => set({ timeoutMs: e.target.value })} />}
        </Field>
        <Field
          label="Failures in a row before down"
          hint="Down opens an incident; fewer failures count toward the error rate."
          error={save.fieldError('failuresBeforeDown')}
        >
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={form.failuresBeforeDown}
              onChange={(e) => set({ failuresBeforeDown: e.target.value })}
            />
          )}
        </Field>
        <Field label="Latency limit (ms)" hint="Slower answers fail. Empty: no limit." error={save.fieldError('maxLatencyMs')}>
          {(p) => <input {...p} inputMode="numeric" value={form.maxLatencyMs} onChange={(e) => set({ maxLatencyMs: e.target.value })} />}
        </Field>
        {http && (
          <>
            <Field label="Expected status" hint="Empty: any 2xx or 3xx." error={save.fieldError('expectStatus')}>
              {(p) => (
                <input {...p} inputMode="numeric" value={form.expectStatus} onChange={(e) => set({ expectStatus: e.target.value })} />
              )}
            </Field>
            <Field label="Keyword" hint="Text the response must contain. Empty: none." error={save.fieldError('keyword')}>
              {(p) => <input {...p} value={form.keyword} onChange={(e) => set({ keyword: e.target.value })} />}
            </Field>
          </>
        )}
      </div>
      <FormActions busy={save.busy} submit={check ? 'Save check' : 'Add check'} onCancel={onDone} />
    </form>
  );
}
