import type { FieldError } from '../errors.js';
import type { AlertSeverity, AlertStatus } from '../vocabulary.js';

/**
 * What every source's payload becomes: one shape the rest of Firebreak understands. Adapters
 * are pure functions from a parsed JSON body to a list of these (or field errors naming what is
 * wrong), so they are tested with recorded payloads and fuzzed without a server.
 */
export interface NormalisedAlert {
  /** Identifies "the same alert" across deliveries: repeats update one alert row. */
  fingerprint: string;
  status: AlertStatus;
  /** PagerDuty's acknowledge: still firing, but someone is on it. */
  acknowledged: boolean;
  severity: AlertSeverity;
  summary: string;
  labels: Record<string, string>;
  sourceUrl: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  /** The source's own object for this alert, kept as the latest payload. */
  raw: unknown;
}

export type AdapterResult = { ok: true; alerts: NormalisedAlert[] } | { ok: false; errors: FieldError[] };

export const MAX_ALERTS_PER_PAYLOAD = 1000;
export const MAX_SUMMARY_LENGTH = 500;
export const MAX_LABELS = 64;
export const MAX_LABEL_LENGTH = 1000;

/**
 * Prometheus' label-set fingerprint (FNV-1a 64 over sorted names and values, each followed by
 * a 0xff byte, printed as 16 hex digits), so the fingerprint we compute for an old Alertmanager
 * payload is the one newer Alertmanagers send, and the same alert matches across versions.
 */
export function labelsFingerprint(labels: Record<string, string>): string {
  const PRIME = 0x100000001b3n;
  const MASK = 0xffffffffffffffffn;
  let hash = 0xcbf29ce484222325n;
  const encoder = new TextEncoder();
  const mix = (bytes: Uint8Array) => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  };
  const separator = new Uint8Array([0xff]);
  for (const name of Object.keys(labels).sort()) {
    mix(encoder.encode(name));
    mix(separator);
    mix(encoder.encode(labels[name]));
    mix(separator);
  }
  return hash.toString(16).padStart(16, '0');
}

/** Maps the many severity words monitoring tools use onto PagerDuty's four; unknown is a warning. */
export function normaliseSeverity(value: unknown): AlertSeverity {
  const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (['critical', 'crit', 'page', 'p1', 'sev1', 'fatal', 'emergency', 'disaster', 'high'].includes(word)) return 'critical';
  if (['error', 'err', 'major', 'p2', 'sev2'].includes(word)) return 'error';
  if (['info', 'informational', 'information', 'low', 'none', 'ok', 'p4', 'p5', 'sev4', 'debug'].includes(word)) return 'info';
  return 'warning';
}

/** Alertmanager writes the zero time (0001-01-01) for "not set"; anything unparsable is unknown. */
export function parseTime(value: unknown): Date | null {
  if (typeof value !== 'string' || value.length > 64) return null;
  const date = new Date(value);
  const ms = date.getTime();
  if (Number.isNaN(ms) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) return null;
  return date;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps string-valued entries (numbers and booleans as text), bounded in count and length. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    if (n >= MAX_LABELS) break;
    if (key.length === 0 || key.length > 200) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out[key] = truncate(String(v), MAX_LABEL_LENGTH);
      n++;
    }
  }
  return out;
}

export function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return null;
  return /^https?:\/\//i.test(value) ? value : null;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * JSON may carry lone UTF-16 surrogates ("\ud800"), which PostgreSQL's jsonb refuses: every
 * string (and key) is made well-formed (U+FFFD in their place) before anything is stored.
 */
export function wellFormed(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\ufffd');
  if (depth > 64) return null;
  if (Array.isArray(value)) return value.map((v) => wellFormed(v, depth + 1));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.replace(LONE_SURROGATE, '\ufffd')] = wellFormed(v, depth + 1);
    return out;
  }
  return value;
}
