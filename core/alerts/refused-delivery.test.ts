import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyExcerpt, boundedReason, cutUtf8, REDACTED, REFUSED_EXCERPT_MAX_BYTES, utf8Length } from './refused-delivery.js';

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe('the excerpt of a refused body', () => {
  it('keeps a small body whole', () => {
    expect(bodyExcerpt('{"alerts": [')).toEqual({ excerpt: '{"alerts": [', truncated: false });
    expect(bodyExcerpt(undefined)).toEqual({ excerpt: null, truncated: false });
  });

  it('keeps the first 4 KiB of a large body, cut between characters', () => {
    const body = `{"summary":"${'é'.repeat(5000)}"}`;
    const { excerpt, truncated } = bodyExcerpt(body);
    expect(truncated).toBe(true);
    expect(bytes(excerpt as string)).toBeLessThanOrEqual(REFUSED_EXCERPT_MAX_BYTES);
    expect(bytes(excerpt as string)).toBeGreaterThan(REFUSED_EXCERPT_MAX_BYTES - 2);
    expect(body.startsWith(excerpt as string)).toBe(true);
  });

  it('never keeps the token, Firebreak secrets or a routing_key, even in broken JSON', () => {
    const token = 'fbi_Zm9vYmFyYmF6cXV4cXV1eHh5enp5MTIzNDU2Nzg5MA';
    const pd = `{"routing_key":"${token}","event_action":"trigger","payload":{"summary":"x"`;
    expect(bodyExcerpt(pd, [token]).excerpt).toBe(`{"routing_key":"${REDACTED}","event_action":"trigger","payload":{"summary":"x"`);
    expect(bodyExcerpt('{"routing_key": "not-a-firebreak-token-but-secret"}').excerpt).toBe(`{"routing_key": "${REDACTED}"}`);
    expect(bodyExcerpt('{"routing_key": "unterminated').excerpt).toBe(`{"routing_key": "${REDACTED}`);
    expect(bodyExcerpt(`{"note":"token was fbt_abcdefghijklmnopqrstuvwxyz"}`).excerpt).toBe(`{"note":"token was ${REDACTED}"}`);
    expect(bodyExcerpt(`secret-in-plain-text ${'x'.repeat(10)}`, ['secret-in-plain-text']).excerpt).toBe(`${REDACTED} xxxxxxxxxx`);
  });

  it('a token that starts inside the excerpt is cut out whole, wherever it sits', () => {
    const token = `fbi_${'A'.repeat(43)}`;
    for (let at = REFUSED_EXCERPT_MAX_BYTES - 50; at < REFUSED_EXCERPT_MAX_BYTES + 5; at++) {
      const body = `${'x'.repeat(at)}${token}${'y'.repeat(5000)}`;
      const { excerpt } = bodyExcerpt(body, [token]);
      expect(excerpt).not.toContain('fbi_A');
      expect(excerpt).not.toMatch(/A{5,}/);
    }
  });

  it('is always storable text of at most 4 KiB that never contains the secrets it was given', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 6000 }), fc.string({ unit: 'binary', maxLength: 300 }), (prefix, rest) => {
        const token = 'fbi_c2VjcmV0LXRva2VuLWZvci10ZXN0aW5nLW9ubHk';
        const { excerpt } = bodyExcerpt(`${prefix}${token}${rest}`, [token]);
        expect(utf8Length(excerpt as string)).toBeLessThanOrEqual(REFUSED_EXCERPT_MAX_BYTES);
        expect(excerpt).not.toContain(token);
        expect(excerpt).not.toContain('\u0000');
        expect(excerpt).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      }),
      { numRuns: 150 },
    );
  });

  it('shows NUL as ␀ rather than failing to store', () => {
    expect(bodyExcerpt('{"a":"\u0000"}').excerpt).toBe('{"a":"\u2400"}');
  });
});

describe('cutUtf8 and utf8Length', () => {
  it('agree with TextEncoder', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.nat(400), (text, max) => {
        expect(utf8Length(text)).toBe(bytes(text));
        const cut = cutUtf8(text, max);
        expect(bytes(cut)).toBeLessThanOrEqual(max);
        expect(text.startsWith(cut)).toBe(true);
      }),
    );
  });
});

describe('the reason kept', () => {
  it('is bounded and storable', () => {
    const long = boundedReason(
      'x'.repeat(10_000),
      Array.from({ length: 500 }, (_, i) => ({ field: `alerts.${i}\u0000`, message: 'm' })),
    );
    expect(long.reason.length).toBeLessThanOrEqual(2000);
    expect(long.fieldErrors).toHaveLength(50);
    expect(long.fieldErrors[0].field).toBe('alerts.0\u2400');
    expect(boundedReason('').reason).toBe('refused');
  });
});
