import { describe, expect, it } from 'vitest';
import { precomputedBody, preferredCoding } from './precomputed-response.js';

describe('reading Accept-Encoding', () => {
  it.each([
    ['gzip', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'], // what browsers send
    ['br;q=1.0, GZIP;q=0.8', 'br'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['gzip;q=0', null],
    ['gzip;q=0.000, *', 'br'], // refusing gzip by name wins over "anything"
    ['br;q=0, gzip;q=0, *', null],
    ['*;q=0', null],
    ['identity', null],
    ['deflate, br', 'br'],
    ['gzip;q=nonsense', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (header, expected) => {
    expect(preferredCoding(header)).toBe(expected);
  });
});

describe('a precomputed body', () => {
  it('has one quoted validator per text, the same for equal texts', () => {
    const a = precomputedBody('<p>VPN down</p>');
    expect(a.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(precomputedBody('<p>VPN down</p>').etag).toBe(a.etag);
    expect(precomputedBody('<p>VPN up</p>').etag).not.toBe(a.etag);
  });

  it('holds the text as UTF-8 bytes, whatever it is written in', () => {
    const body = precomputedBody('Störung — 障害');
    expect(body.bytes.toString('utf8')).toBe('Störung — 障害');
    expect(body.bytes.length).toBe(Buffer.byteLength('Störung — 障害'));
  });
});
