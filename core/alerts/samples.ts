import type { AlertSource } from '../vocabulary.js';

/** A small firing alert in each source's own format: the copy-paste curl sends it, the admin page shows it. */
export const SAMPLE_ALERT_BODIES: Record<AlertSource, unknown> = {
  generic: { summary: 'Checkout latency above 2 s', severity: 'warning', labels: { service: 'checkout', alertname: 'HighLatency' } },
  alertmanager: {
    version: '4',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'HighLatency', service: 'checkout', severity: 'warning' },
        annotations: { summary: 'Checkout latency above 2 s' },
      },
    ],
  },
  grafana: {
    version: '1',
    status: 'firing',
    orgId: 1,
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'HighLatency', service: 'checkout' },
        annotations: { summary: 'Checkout latency above 2 s' },
      },
    ],
  },
  pagerduty: {
    event_action: 'trigger',
    dedup_key: 'checkout/latency',
    payload: { summary: 'Checkout latency above 2 s', source: 'checkout-1', severity: 'warning' },
  },
};

/** The copy-paste curl that sends a source's sample alert; the server fills in the token once, the admin page a placeholder. */
export function exampleCurl(baseUrl: string, alertsPath: string, token: string, source: AlertSource): string {
  return `curl -sS -X POST "${baseUrl}${alertsPath}" -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" -d '${JSON.stringify(SAMPLE_ALERT_BODIES[source])}'`;
}
