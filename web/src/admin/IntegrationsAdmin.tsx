import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { exampleCurl } from '../../../core/alerts/samples';
import * as monitoringApi from '../api/endpoints/monitoring';
import { keys } from '../api/keys';
import { useIntegrations } from '../api/monitoring-hooks';
import { useApiMutation } from '../api/mutation';
import type { CreatedIntegrationT as CreatedT, CreateIntegrationIn, IntegrationT } from '../api/types';
import { Banner, Button, Field, Loading, PageHeader, When } from '../ui/kit';
import { ErrorNote } from './ErrorNote';
import { IntegrationDetail } from './integrations/IntegrationDetail';
import { RecordTable } from './RecordTable';

const SOURCES = [
  { id: 'alertmanager', label: 'Prometheus Alertmanager (webhook v4)' },
  { id: 'grafana', label: 'Grafana alerting (webhook)' },
  { id: 'pagerduty', label: 'PagerDuty Events API v2 (anything that pages PagerDuty)' },
  { id: 'generic', label: 'Generic JSON' },
];

/**
 * Monitoring integrations: each with its own token (shown once) and a copy-paste curl; the one
 * chosen (?integration=<id>, so it can be linked) shows its routing rules and refused deliveries.
 */
export function IntegrationsAdmin() {
  const list = useIntegrations();
  const save = useApiMutation({ mutationFn: monitoringApi.createIntegration, invalidates: [keys.monitoring.integrations] });
  const [search, setSearch] = useSearchParams();
  const choose = (id: string) => setSearch({ integration: id });
  const chosen = list.data?.items.find((i) => i.id === search.get('integration'));
  const [form, setForm] = useState<CreateIntegrationIn>({ name: '', source: 'alertmanager' });
  const [created, setCreated] = useState<CreatedT | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await save.run(form);
    if (result) {
      setCreated(result);
      setForm({ name: '', source: 'alertmanager' });
      choose(result.id);
    }
  };
  return (
    <div className="stack">
      <PageHeader title="Monitoring integrations" />
      {created && (
        <Banner tone="success" title={`“${created.name}” is ready — copy its token now`}>
          <p>This is the only time the token is shown. Send alerts to {window.location.origin + created.alertsPath}:</p>
          <pre className="secret" data-testid="integration-curl">
            {exampleCurl(window.location.origin, created.alertsPath, created.token, created.source)}
          </pre>
        </Banner>
      )}
      <form className="card" onSubmit={submit} noValidate>
        <h2>Add an integration</h2>
        <ErrorNote error={save.error} />
        <div className="form-grid">
          <Field label="Name" hint="What sends the alerts, e.g. “Prometheus production”." error={save.fieldError('name')}>
            {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <Field label="Source" error={save.fieldError('source')}>
            {(p) => (
              <select
                {...p}
                value={form.source}
                onChange={(e) => setForm({ ...form, source: e.target.value as CreateIntegrationIn['source'] })}
              >
                {SOURCES.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <p className="muted">Once it is added, choose it below to set its routing rules.</p>
        <Button tone="primary" type="submit" busy={save.busy}>
          Add integration
        </Button>
      </form>
      {list.isPending ? (
        <Loading what="integrations" />
      ) : (
        <RecordTable<IntegrationT>
          items={list.data?.items ?? []}
          columns={['Name', 'Source', 'Rules', 'Token', 'Last alert', 'Status']}
          rowClassName={(i) => (i.id === chosen?.id ? 'selected' : undefined)}
          cells={(i) => (
            <>
              <td>{i.name}</td>
              <td>{i.source}</td>
              <td data-label="Rules">{i.rules.length}</td>
              <td className="mono" data-label="Token">
                {i.tokenPrefix}…
              </td>
              <td data-label="Last alert">{i.lastAlertAt ? <When at={i.lastAlertAt} /> : 'never'}</td>
              <td>{i.active ? 'active' : 'revoked'}</td>
            </>
          )}
          actions={(i) => (
            <Button tone={i.id === chosen?.id ? 'primary' : 'secondary'} aria-pressed={i.id === chosen?.id} onClick={() => choose(i.id)}>
              Rules and refusals<span className="visually-hidden"> of {i.name}</span>
            </Button>
          )}
        />
      )}
      {chosen && <IntegrationDetail key={chosen.id} integration={chosen} />}
    </div>
  );
}
