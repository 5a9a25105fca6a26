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
 * Any tool that can send a webhook: one alert object, or `{ "alerts": [...] }`, or an array.
 * Each needs a `summary` (or `title`); `fingerprint` (or `dedupKey`) names the same alert across
 * deliveries and defaults to one computed from the summary and labels; `status` is firing
 * (default) or resolved.
 */
export function adaptGeneric(body: unknown): AdapterResult {
  const list = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.alerts) ? body.alerts : isRecord(body) ? [body] : null;
  const prefix = Array.isArray(body) ? '' : isRecord(body) && Array.isArray(body.alerts) ? 'alerts.' : '';
  if (!list) return { ok: false, errors: [{ field: 'body', message: 'must be an alert object, a list of them, or { "alerts": [...] }' }] };
  if (list.length === 0) return { ok: false, errors: [{ field: 'alerts', message: 'must contain at least one alert' }] };
  if (list.length > MAX_ALERTS_PER_PAYLOAD) {
    return { ok: false, errors: [{ field: 'alerts', message: `at most ${MAX_ALERTS_PER_PAYLOAD} alerts per request` }] };
  }
  const errors: FieldError[] = [];
  const alerts: NormalisedAlert[] = [];
  list.forEach((item: unknown, i: number) => {
    const at = prefix || Array.isArray(body) ? `${prefix}${i}.` : '';
    if (!isRecord(item)) {
      errors.push({ field: at ? at.slice(0, -1) : 'body', message: 'must be an alert object' });
      return;
    }
    const summary = typeof item.summary === 'string' ? item.summary : typeof item.title === 'string' ? item.title : undefined;
    if (!summary || summary.trim() === '') {
      errors.push({ field: `${at}summary`, message: 'is required (or "title"): say what is wrong' });
      return;
    }
    const status = item.status ?? 'firing';
    if (status !== 'firing' && status !== 'resolved') {
      errors.push({ field: `${at}status`, message: 'must be "firing" or "resolved"' });
      return;
    }
    const given = item.fingerprint ?? item.dedupKey;
    if (given !== undefined && (typeof given !== 'string' || given.length === 0 || given.length > 255)) {
      errors.push({ field: `${at}fingerprint`, message: 'must be a string of 1 to 255 characters' });
      return;
    }
    const labels = stringMap(item.labels);
    alerts.push({
      fingerprint: typeof given === 'string' ? given : labelsFingerprint({ ...labels, __summary__: summary.trim() }),
      status,
      acknowledged: false,
      severity: normaliseSeverity(item.severity ?? labels.severity),
      summary: truncate(summary.trim(), MAX_SUMMARY_LENGTH),
      labels,
      sourceUrl: httpUrl(item.url ?? item.sourceUrl),
      startsAt: parseTime(item.startsAt),
      endsAt: status === 'resolved' ? parseTime(item.endsAt) : null,
      raw: item,
    });
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, alerts };
}
