import type { FieldError } from '../errors.js';
import {
  type AdapterResult,
  httpUrl,
  isRecord,
  labelsFingerprint,
  MAX_ALERTS_PER_PAYLOAD,
  MAX_SUMMARY_LENGTH,
  type NormalisedAlert,
  normaliseSeverity,
  parseTime,
  stringMap,
  truncate,
} from './normalised-alert.js';

/**
 * Prometheus Alertmanager's webhook (version 4), and Grafana's, which is the same shape with
 * extra fields. Old Alertmanagers send no per-alert status or fingerprint: the status falls back
 * to the group's, and the fingerprint is computed from the labels exactly as Alertmanager does.
 */
export function adaptAlertmanager(body: unknown, receivedAt: Date, flavour: 'alertmanager' | 'grafana' = 'alertmanager'): AdapterResult {
  const errors: FieldError[] = [];
  if (!isRecord(body)) return { ok: false, errors: [{ field: 'body', message: `must be an ${flavour} webhook object with "alerts"` }] };
  if (!Array.isArray(body.alerts)) {
    return { ok: false, errors: [{ field: 'alerts', message: `is required: an ${flavour} webhook carries a list of alerts` }] };
  }
  if (body.alerts.length > MAX_ALERTS_PER_PAYLOAD) {
    return { ok: false, errors: [{ field: 'alerts', message: `at most ${MAX_ALERTS_PER_PAYLOAD} alerts per request` }] };
  }
  const groupStatus = body.status === 'resolved' ? 'resolved' : 'firing';
  const commonLabels = stringMap(body.commonLabels);
  const commonAnnotations = stringMap(body.commonAnnotations);
  const alerts: NormalisedAlert[] = [];
  body.alerts.forEach((item: unknown, i: number) => {
    if (!isRecord(item)) {
      errors.push({ field: `alerts.${i}`, message: 'must be an object with labels' });
      return;
    }
    const labels = stringMap(item.labels);
    if (Object.keys(labels).length === 0) {
      errors.push({ field: `alerts.${i}.labels`, message: 'must have at least one label (e.g. alertname)' });
      return;
    }
    if (item.status !== undefined && item.status !== 'firing' && item.status !== 'resolved') {
      errors.push({ field: `alerts.${i}.status`, message: 'must be "firing" or "resolved"' });
      return;
    }
    const annotations = { ...commonAnnotations, ...stringMap(item.annotations) };
    const endsAt = parseTime(item.endsAt);
    const status =
      item.status === 'firing' || item.status === 'resolved'
        ? item.status
        : // Old payloads: an end in the past means resolved, else the group's status.
          endsAt && endsAt.getTime() <= receivedAt.getTime()
          ? 'resolved'
          : groupStatus;
    const summary = annotations.summary ?? labels.summary ?? annotations.description ?? annotations.message ?? labels.alertname ?? 'Alert';
    alerts.push({
      fingerprint: labelsFingerprint(labels),
      status,
      acknowledged: false,
      severity: normaliseSeverity(labels.severity ?? commonLabels.severity),
      summary: truncate(summary, MAX_SUMMARY_LENGTH),
      labels,
      sourceUrl: httpUrl(item.generatorURL) ?? httpUrl(item.dashboardURL) ?? httpUrl(body.externalURL),
      startsAt: parseTime(item.startsAt),
      endsAt: status === 'resolved' ? endsAt : null,
      raw: item,
    });
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, alerts };
}
