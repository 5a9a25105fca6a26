import { useState } from 'react';
import type { RoutingRule } from '../../../../core/alerts/routing';
import { exampleCurl } from '../../../../core/alerts/samples';
import * as monitoringApi from '../../api/endpoints/monitoring';
import { keys } from '../../api/keys';
import { useApiMutation } from '../../api/mutation';
import type { CreatedIntegrationT as CreatedT, IntegrationT } from '../../api/types';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Banner, Button, When } from '../../ui/kit';
import { ErrorNote } from '../ErrorNote';
import { RefusedDeliveries } from './RefusedDeliveries';
import { RoutingRules } from './RoutingRules';
import { SendingAlerts } from './SendingAlerts';

/** One integration: its routing rules, how to send to it, and what it refused. */
export function IntegrationDetail({ integration }: { integration: IntegrationT }) {
  const save = useApiMutation({
    mutationFn: () => monitoringApi.rotateIntegrationToken(integration.id),
    invalidates: [keys.monitoring.integrations],
  });
  const revoke = useApiMutation({
    mutationFn: () => monitoringApi.removeIntegration(integration.id),
    invalidates: [keys.monitoring.integrations],
  });
  const [rotated, setRotated] = useState<CreatedT | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const rotate = async () => setRotated((await save.run()) ?? null);
  return (
    <section className="stack" aria-labelledby="integration-title">
      <div className="row">
        <h2 id="integration-title">{integration.name}</h2>
        <span className="badge">{integration.source}</span>
        <span className="muted">
          {integration.active ? 'active' : 'revoked'} · last alert{' '}
          {integration.lastAlertAt ? <When at={integration.lastAlertAt} /> : 'never'}
        </span>
        <span className="spacer" />
        {integration.active && (
          <>
            <Button onClick={rotate} busy={save.busy}>
              Replace token
            </Button>
            <Button tone="danger" onClick={() => setConfirmRevoke(true)}>
              Revoke<span className="visually-hidden"> {integration.name}</span>
            </Button>
          </>
        )}
      </div>
      <ErrorNote error={confirmRevoke ? null : save.error} />
      <ConfirmDialog
        open={confirmRevoke}
        title={`Revoke ${integration.name}?`}
        confirmLabel="Revoke integration"
        error={<ErrorNote error={revoke.error} />}
        onCancel={() => setConfirmRevoke(false)}
        // A failure keeps the dialog open, with its error.
        onConfirm={async () => (await revoke.run()) !== undefined}
      >
        <p>
          Its token stops working at once: whatever sends alerts with it is refused from then on. The alerts and tickets it raised stay.
          This cannot be undone; to take alerts from that source again, add a new integration.
        </p>
      </ConfirmDialog>
      {rotated && (
        <Banner tone="success" title="New token — copy it now">
          <p>The old token no longer works. This is the only time the new one is shown:</p>
          <pre className="secret">{exampleCurl(window.location.origin, rotated.alertsPath, rotated.token, rotated.source)}</pre>
        </Banner>
      )}
      <RoutingRules
        integrationId={integration.id}
        rules={integration.rules as RoutingRule[]}
        version={integration.version}
        active={integration.active}
      />
      <SendingAlerts integration={integration} />
      <RefusedDeliveries integrationId={integration.id} />
    </section>
  );
}
