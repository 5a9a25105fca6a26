import type { FieldError } from '../errors.js';

/**
 * What is kept of an alert delivery that was refused (bad JSON, wrong source, invalid, too
 * large), so an admin can see why a monitoring tool's alerts are not arriving. The body is
 * attacker-controlled text: only a bounded excerpt is kept, with credentials cut out.
 */

/** The most of a refused body that is kept, in UTF-8 bytes. */
export const REFUSED_EXCERPT_MAX_BYTES = 4096;
/** Refused deliveries kept per integration; older ones are deleted as new ones arrive. */
export const REFUSED_KEEP_PER_INTEGRATION = 1000;
const REASON_MAX_CHARS = 2000;
const FIELD_ERRORS_MAX = 50;
const FIELD_TEXT_MAX_CHARS = 500;

export const REDACTED = '[redacted]';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what PostgreSQL text cannot hold
const NUL = /\u0000/g;
/** Firebreak's own secrets (integration tokens fbi_…, API tokens fbt_…) wherever they appear. */
const FIREBREAK_SECRET = /\bfb[a-z]_[A-Za-z0-9_-]{16,}/g;
/** PagerDuty's routing_key is the integration token: its value is never kept, even in broken JSON. */
const ROUTING_KEY = /("routing_key"\s*:\s*")((?:[^"\\]|\\.)*)(")?/g;

/** Text PostgreSQL can store and a person can read: no NUL (shown as ␀), no lone surrogates. */
export function storable(text: string): string {
  return text.replace(NUL, '\u2400').replace(LONE_SURROGATE, '\ufffd');
}

/**
 * The first REFUSED_EXCERPT_MAX_BYTES of a body, cut on a character boundary, with the token
 * that authenticated it, any Firebreak secret and any routing_key value replaced by [redacted].
 * Redaction runs on a prefix twice as long as what is kept, so a secret that starts inside the
 * excerpt is always whole when it is cut out (secrets are far shorter than the excerpt).
 */
export function bodyExcerpt(
  raw: string | null | undefined,
  secrets: readonly string[] = [],
): { excerpt: string | null; truncated: boolean } {
  if (raw === null || raw === undefined) return { excerpt: null, truncated: false };
  let text = raw.slice(0, REFUSED_EXCERPT_MAX_BYTES * 2);
  for (const secret of secrets) if (secret.length >= 8) text = text.replaceAll(secret, REDACTED);
  text = text.replace(ROUTING_KEY, (_all, open: string, _value: string, close: string | undefined) => `${open}${REDACTED}${close ?? ''}`);
  text = storable(text.replace(FIREBREAK_SECRET, REDACTED));
  if (utf8Length(text) <= REFUSED_EXCERPT_MAX_BYTES && raw.length <= REFUSED_EXCERPT_MAX_BYTES * 2)
    return { excerpt: text, truncated: false };
  return { excerpt: cutUtf8(text, REFUSED_EXCERPT_MAX_BYTES), truncated: true };
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** UTF-8 length without Buffer, so core stays usable in the browser. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The reason and field errors the sender was given, bounded and storable. */
export function boundedReason(reason: string, errors: readonly FieldError[] = []): { reason: string; fieldErrors: FieldError[] } {
  const clip = (text: string, max: number) => storable(text.length > max ? `${text.slice(0, max - 1)}…` : text);
  return {
    reason: clip(reason || 'refused', REASON_MAX_CHARS),
    fieldErrors: errors
      .slice(0, FIELD_ERRORS_MAX)
      .map((e) => ({ field: clip(String(e.field), FIELD_TEXT_MAX_CHARS), message: clip(String(e.message), FIELD_TEXT_MAX_CHARS) })),
  };
}
