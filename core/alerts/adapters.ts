import type { AlertSource } from '../vocabulary.js';
import { adaptAlertmanager } from './alertmanager.adapter.js';
import { adaptGeneric } from './generic.adapter.js';
import { type AdapterResult, wellFormed } from './normalised-alert.js';
import { adaptPagerDuty } from './pagerduty.adapter.js';

/** The one entry point: a source's parsed JSON body to normalised alerts, or field errors. */
export function adaptPayload(source: AlertSource, received: unknown, receivedAt: Date): AdapterResult {
  const body = wellFormed(received);
  const result = adaptBySource(source, body, receivedAt);
  if (result.ok) return result;
  const looksLike = guessSource(body);
  if (looksLike && looksLike !== source && !(source === 'generic' && looksLike !== 'pagerduty')) {
    return {
      ok: false,
      errors: [{ field: 'body', message: `looks like a ${looksLike} payload, but this integration expects ${source}` }, ...result.errors],
    };
  }
  return result;
}

/** What a payload looks like, to say so when it was sent to the wrong kind of integration. */
export function guessSource(body: unknown): AlertSource | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  if ('event_action' in b || 'routing_key' in b) return 'pagerduty';
  if (Array.isArray(b.alerts) && ('orgId' in b || 'state' in b)) return 'grafana';
  if (Array.isArray(b.alerts) && ('groupKey' in b || 'receiver' in b)) return 'alertmanager';
  return null;
}

function adaptBySource(source: AlertSource, body: unknown, receivedAt: Date): AdapterResult {
  switch (source) {
    case 'alertmanager':
      return adaptAlertmanager(body, receivedAt, 'alertmanager');
    case 'grafana':
      return adaptAlertmanager(body, receivedAt, 'grafana');
    case 'pagerduty':
      return adaptPagerDuty(body);
    case 'generic':
      return adaptGeneric(body);
  }
}
