import type { z } from 'zod';
import { exampleCurl, SAMPLE_ALERT_BODIES } from '../../../../core/alerts/samples';
import type { Integration } from '../../../../core/contracts/alerts';

type IntegrationT = z.infer<typeof Integration>;

/** Where to send alerts, what a payload of this source looks like, and a curl that sends one. */
export function SendingAlerts({ integration }: { integration: IntegrationT }) {
  const origin = window.location.origin;
  return (
    <section className="card" aria-labelledby="sending-title">
      <h3 id="sending-title">Sending alerts</h3>
      <p>
        Send to <code className="secret">{origin + integration.alertsPath}</code> with the header{' '}
        <code>Authorization: Bearer &lt;token&gt;</code>.
        {integration.source === 'pagerduty' && (
          <>
            {' '}
            Tools that page PagerDuty can keep their payloads: point their events URL at{' '}
            <code className="secret">{`${origin}/api/v1/integrations/pagerduty/v2/enqueue`}</code> and use the token as the routing key.
          </>
        )}{' '}
        The token was shown once, when it was made; replace it above if it is lost (the old one stops working).
      </p>
      <h4>A sample {integration.source} payload</h4>
      <pre className="excerpt">{JSON.stringify(SAMPLE_ALERT_BODIES[integration.source], null, 2)}</pre>
      <h4>Try it</h4>
      <pre className="secret" data-testid="integration-sample-curl">
        {exampleCurl(origin, integration.alertsPath, '$FIREBREAK_TOKEN', integration.source)}
      </pre>
    </section>
  );
}
