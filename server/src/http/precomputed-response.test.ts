import { describe, expect, it } from 'vitest';
import { acceptsGzip, precomputedBody } from './precomputed-response.js';

describe('reading Accept-Encoding', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br, zstd', true], // what browsers send
    ['br;q=1.0, GZIP;q=0.8', true],
    ['*', true],
    ['gzip;q=0', false],
    ['gzip;q=0.000, *', false], // refusing gzip by name wins over "anything"
    ['*;q=0', false],
    ['identity', false],
    ['deflate, br', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('a precomputed body', () => {
  it('has one quoted validator per text, the same for equal texts', () => {
    const a = precomputedBody('<p>VPN down</p>');
    expect(a.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(precomputedBody('<p>VPN down</p>').etag).toBe(a.etag);
    expect(precomputedBody('<p>VPN up</p>').etag).not.toBe(a.etag);
  });
});
