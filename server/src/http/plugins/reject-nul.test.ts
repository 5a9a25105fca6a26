import { describe, expect, it } from 'vitest';
import { findUnstorableText, MAX_BODY_DEPTH } from './reject-nul.js';

function nested(depth: number, leaf: unknown = 'x'): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('findUnstorableText', () => {
  it('names the field holding a NUL character, in arrays and objects alike', () => {
    expect(findUnstorableText({ title: 'ok', labels: { team: ['a', 'b\u0000'] } })).toEqual({
      field: 'labels.team.1',
      message: 'must not contain NUL (\\u0000) characters',
    });
    expect(findUnstorableText({ 'k\u0000': 1 })?.field).toBe('k\u0000');
    expect(findUnstorableText('a\u0000')?.field).toBe('body');
  });

  it('names the first bad field in the order the body lists them', () => {
    expect(findUnstorableText({ a: 'ok', b: 'x\u0000', c: 'y\u0000' })?.field).toBe('b');
  });

  it('refuses lone UTF-16 surrogates (jsonb cannot store them) but keeps real pairs', () => {
    expect(findUnstorableText({ title: 'smile \ud83d\ude00' })).toBeNull();
    for (const text of ['\ud800', 'a\udc00b', 'end \ud83d']) {
      expect(findUnstorableText({ data: { note: text } }), JSON.stringify(text)).toEqual({
        field: 'data.note',
        message: 'must be valid Unicode text (it contains half of a UTF-16 surrogate pair)',
      });
    }
    expect(findUnstorableText({ '\udfff': 'x' })?.field).toBe('\udfff');
    // Routes that repair them (alert intake) may let them through; NUL is still refused.
    expect(findUnstorableText({ a: '\ud800' }, { allowLoneSurrogates: true })).toBeNull();
    expect(findUnstorableText({ a: '\u0000' }, { allowLoneSurrogates: true })?.field).toBe('a');
  });

  it(`accepts nesting up to ${MAX_BODY_DEPTH} levels and names the outermost field beyond`, () => {
    expect(findUnstorableText({ email: nested(MAX_BODY_DEPTH - 1) })).toBeNull();
    expect(findUnstorableText({ email: nested(MAX_BODY_DEPTH) })).toEqual({
      field: 'email',
      message: `is nested more than ${MAX_BODY_DEPTH} levels deep`,
    });
    expect(findUnstorableText(nested(MAX_BODY_DEPTH + 1))?.field).toBe('0');
  });

  it('walks a body nested a million levels deep without running out of stack', () => {
    // The recursive walk threw RangeError here, which became a 500.
    expect(findUnstorableText({ password: nested(1_000_000) })?.field).toBe('password');
  });

  it('never walks a raw body (an uploaded file) byte by byte', () => {
    const file = Buffer.alloc(10 * 1024 * 1024); // all NUL bytes: a binary file is allowed to hold them
    expect(findUnstorableText(file)).toBeNull();
    expect(findUnstorableText(new Uint8Array(16))).toBeNull();
    expect(findUnstorableText(null)).toBeNull();
    expect(findUnstorableText(42)).toBeNull();
  });
});
