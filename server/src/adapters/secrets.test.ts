import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_COST, hashPassword, needsRehash, passwordHashCost, verifyPassword } from './secrets.js';

describe('password hashing', () => {
  it('hashes at OWASP’s minimum scrypt cost by default (N=2^17, r=8, p=1), within Node’s memory limit', async () => {
    expect(DEFAULT_PASSWORD_COST.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(DEFAULT_PASSWORD_COST.r).toBeGreaterThanOrEqual(8);
    expect(DEFAULT_PASSWORD_COST.p).toBeGreaterThanOrEqual(1);
    const stored = await hashPassword('correct horse battery staple');
    expect(passwordHashCost(stored)).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it('still verifies a hash made at the old cost (N=2^15), and says it needs re-hashing', async () => {
    const old = await hashPassword('an older passphrase', { N: 2 ** 15, r: 8, p: 1 });
    expect(old.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('an older passphrase', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash('not a hash')).toBe(true);
    expect(await verifyPassword('anything', 'not a hash')).toBe(false);
  });
});
