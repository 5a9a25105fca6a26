import { useState } from 'react';
import type { z } from 'zod';
import type { RoutingRule } from '../../../../core/alerts/routing';
import { exampleCurl } from '../../../../core/alerts/samples';
import type { CreatedIntegration, Integration } from '../../../../core/contracts/alerts';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Banner, Button, When } from '../../ui/kit';
import { ErrorNote } from '../ErrorNote';
import { useSave } from '../useSave';
import { RefusedDeliveries } from './RefusedDeliveries';
import { RoutingRules } from './RoutingRules';
import { SendingAlerts } from './SendingAlerts';

type IntegrationT = z.infer<typeof Integration>;
type CreatedT = z.infer<typeof CreatedIntegration>;

/** One integration: its routing rules, how to send to it, and what it refused. */
export function IntegrationDetail({ integration }: { integration: IntegrationT }) {
  const save = useSave(['integrations']);
  const [rotated, setRotated] = useState<CreatedT | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const rotate = async () => setRotated(await save.save<CreatedT>('POST', `/integrations/${integration.id}/token`));
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
        error={<ErrorNote error={save.error} />}
        onCancel={() => setConfirmRevoke(false)}
        // A 204 answers undefined; only a failure answers null (and keeps the dialog, with its error).
        onConfirm={async () => (await save.save('DELETE', `/integrations/${integration.id}`)) !== null}
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
