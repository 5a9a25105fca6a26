import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allOfTerms, anyOfTerms } from './text-search.js';

describe('tsquery texts from search terms', () => {
  it('joins the terms with OR for any-of and AND for all-of', () => {
    expect(anyOfTerms(['vpn', 'certificate', 'ünïcode'])).toBe('vpn | certificate | ünïcode');
    expect(allOfTerms(['vpn', 'certificate'])).toBe('vpn & certificate');
  });

  it('gives nothing to search for when there are no terms', () => {
    expect(anyOfTerms([])).toBeNull();
    expect(allOfTerms([])).toBeNull();
  });

  it('refuses a term that would carry query syntax, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (term) => {
        const safe = /^[\p{L}\p{N}]+$/u.test(term);
        if (safe) expect(anyOfTerms([term])).toBe(term);
        else expect(() => allOfTerms(['vpn', term])).toThrow(/letters and digits only/);
      }),
    );
  });
});
