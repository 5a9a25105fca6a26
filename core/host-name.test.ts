import { describe, expect, it } from 'vitest';
import { hostNameOf } from './host-name.js';

describe('hostNameOf', () => {
  it('drops the port and the letter case, and brackets IPv6 as a Host header does', () => {
    expect(hostNameOf('Help.Example.com:443')).toBe('help.example.com');
    expect(hostNameOf('help.example.com')).toBe('help.example.com');
    expect(hostNameOf('127.0.0.1:3000')).toBe('127.0.0.1');
    expect(hostNameOf('[::1]:3000')).toBe('[::1]');
    expect(hostNameOf('[::1]')).toBe('[::1]');
    expect(hostNameOf('::1')).toBe('[::1]');
    expect(hostNameOf(' localhost ')).toBe('localhost');
  });
});
