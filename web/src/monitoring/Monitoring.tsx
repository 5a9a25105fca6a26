import { useState } from 'react';
import { isAdmin as isAdminRole } from '../../../core/permissions';
import { humanMessage } from '../api/client';
import { useMe } from '../api/hooks';
import { useAlerts, useChecks } from '../api/monitoring-hooks';
import type { CheckT } from '../api/types';
import { Banner, Button, EmptyState, Loading, PageHeader } from '../ui/kit';
import { AlertsTable } from './AlertsTable';
import { CheckForm } from './CheckForm';
import { CheckItem } from './CheckItem';

/** What monitoring sent (deduplicated alerts) and what Firebreak watches itself (checks). */
export default function Monitoring() {
  const checks = useChecks();
  // A probe may have fired or resolved an alert: the list follows the checks' latest run.
  const latestRun = (checks.data?.items ?? []).reduce((latest, c) => (c.lastRunAt && c.lastRunAt > latest ? c.lastRunAt : latest), '');
  const alerts = useAlerts(latestRun);
  const me = useMe();
  // The API decides (only admins may change checks); the page only hides what would be refused.
  const isAdmin = me.data ? isAdminRole(me.data) : false;
  const [editing, setEditing] = useState<CheckT | 'new' | null>(null);
  return (
    <div className="stack">
      <PageHeader title="Monitoring">
        <a className="btn" href="/desk/queue/open?kind=disturbance">
          Disturbances
        </a>
      </PageHeader>
      <section className="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Alerts</h2>
        {alerts.isPending ? (
          <Loading what="alerts" />
        ) : alerts.error ? (
          <Banner tone="danger">{humanMessage(alerts.error)}</Banner>
        ) : alerts.data.items.length === 0 ? (
          <EmptyState title="No alerts yet">
            Point Alertmanager, Grafana or a PagerDuty client at an integration (Admin › Integrations).
          </EmptyState>
        ) : (
          <AlertsTable alerts={alerts.data.items} />
        )}
      </section>
      {editing && (
        <CheckForm
          key={editing === 'new' ? 'new' : editing.id}
          check={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
      <section className="card" aria-labelledby="checks-title">
        <div className="row check-section-head">
          <h2 id="checks-title">Checks</h2>
          {isAdmin && !editing && (
            <Button tone="primary" onClick={() => setEditing('new')}>
              Add check
            </Button>
          )}
        </div>
        {checks.isPending ? (
          <Loading what="checks" />
        ) : checks.error ? (
          <Banner tone="danger">{humanMessage(checks.error)}</Banner>
        ) : checks.data.items.length === 0 ? (
          <EmptyState title="No built-in checks">
            {isAdmin
              ? 'Add a check to have Firebreak probe an HTTP(S) URL or a TCP port on an interval.'
              : 'Admins add HTTP(S) and TCP checks here.'}
          </EmptyState>
        ) : (
          <ul className="plain-list">
            {checks.data.items.map((c) => (
              <CheckItem key={c.id} check={c} isAdmin={isAdmin} onEdit={() => setEditing(c)} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
