import type { FieldError } from '../errors.js';
import { ALERT_SEVERITIES } from '../vocabulary.js';
import {
  type AdapterResult,
  httpUrl,
  isRecord,
  labelsFingerprint,
  MAX_SUMMARY_LENGTH,
  normaliseSeverity,
  parseTime,
  stringMap,
  truncate,
} from './normalised-alert.js';

const ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;

/**
 * PagerDuty Events API v2 (`/v2/enqueue`): trigger, acknowledge, resolve with `dedup_key`.
 * Checked as PagerDuty checks it (summary, source and severity for a trigger; dedup_key for the
 * others), so a tool that pages PagerDuty gets the same answers here. A trigger without a
 * dedup_key gets one derived from its content, so a retried trigger is the same alert.
 */
export function adaptPagerDuty(body: unknown): AdapterResult & { dedupKey?: string } {
  if (!isRecord(body)) return { ok: false, errors: [{ field: 'body', message: 'must be a PagerDuty Events v2 object' }] };
  const errors: FieldError[] = [];
  const action = body.event_action;
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) {
    errors.push({ field: 'event_action', message: 'must be "trigger", "acknowledge" or "resolve"' });
  }
  const dedupKey = body.dedup_key;
  if (dedupKey !== undefined && (typeof dedupKey !== 'string' || dedupKey.length === 0 || dedupKey.length > 255)) {
    errors.push({ field: 'dedup_key', message: 'must be a string of 1 to 255 characters' });
  }
  const payload = body.payload;
  if (action === 'trigger') {
    if (!isRecord(payload)) {
      errors.push({ field: 'payload', message: 'is required for a trigger' });
    } else {
      if (typeof payload.summary !== 'string' || payload.summary.trim() === '') {
        errors.push({ field: 'payload.summary', message: 'is required for a trigger' });
      }
      if (typeof payload.source !== 'string' || payload.source.trim() === '') {
        errors.push({ field: 'payload.source', message: 'is required for a trigger' });
      }
      if (typeof payload.severity !== 'string' || !(ALERT_SEVERITIES as readonly string[]).includes(payload.severity)) {
        errors.push({ field: 'payload.severity', message: 'must be one of critical, error, warning, info' });
      }
    }
  } else if (typeof action === 'string' && (ACTIONS as readonly string[]).includes(action) && typeof dedupKey !== 'string') {
    errors.push({ field: 'dedup_key', message: `is required to ${action} an alert` });
  }
  if (errors.length > 0) return { ok: false, errors };

  const p = isRecord(payload) ? payload : {};
  const labels = stringMap({
    source: p.source,
    component: p.component,
    group: p.group,
    class: p.class,
    severity: p.severity,
  });
  const key =
    typeof dedupKey === 'string'
      ? dedupKey
      : labelsFingerprint({ ...labels, summary: typeof p.summary === 'string' ? p.summary : '', client: String(body.client ?? '') });
  const links = Array.isArray(body.links) ? body.links : [];
  const firstLink = links.find((l: unknown) => isRecord(l) && httpUrl(l.href));
  return {
    ok: true,
    dedupKey: key,
    alerts: [
      {
        fingerprint: key,
        status: action === 'resolve' ? 'resolved' : 'firing',
        acknowledged: action === 'acknowledge',
        severity: normaliseSeverity(p.severity),
        // Acknowledge and resolve carry no summary; the alert keeps the one it had.
        summary: truncate(typeof p.summary === 'string' ? p.summary.trim() : '', MAX_SUMMARY_LENGTH),
        labels,
        sourceUrl: httpUrl(body.client_url) ?? (isRecord(firstLink) ? httpUrl(firstLink.href) : null),
        startsAt: parseTime(p.timestamp),
        endsAt: null,
        raw: body,
      },
    ],
  };
}
