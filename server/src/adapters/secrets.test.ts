import type * as Crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_PASSWORD_COST } from '../../test/password-cost.js';

/**
 * Real scrypt at the production cost (N=2^17: 128 MiB, seconds on a loaded 2-core machine per
 * hash) is what made this file take 20–24 s. The hashing behaviour is tested with real scrypt at
 * a cost the test passes in (TEST_PASSWORD_COST, as every other test uses); that production uses
 * N=2^17 by default is asserted cheaply by recording the parameters the code hands to scrypt
 * while `recordOnly` is set, and answering with a fixed key instead of spending the 128 MiB.
 */
const scryptSpy = vi.hoisted(() => ({ recordOnly: false, calls: [] as { N: number; r: number; p: number }[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof Crypto>();
  const scrypt = (
    password: string,
    salt: Buffer,
    keyLength: number,
    options: Crypto.ScryptOptions,
    callback: (err: Error | null, key: Buffer) => void,
  ) => {
    scryptSpy.calls.push({ N: options.N as number, r: options.r as number, p: options.p as number });
    if (!scryptSpy.recordOnly) return crypto.scrypt(password, salt, keyLength, options, callback);
    // A stand-in key that still depends on the password, so a wrong one does not verify.
    callback(null, crypto.createHash('sha256').update(password).update(salt).digest().subarray(0, keyLength));
  };
  return { ...crypto, default: { ...crypto, scrypt }, scrypt };
});

/**
 * The `pure` tier shares one module graph per worker between files (`isolate: false`), so
 * `secrets.ts` may already be loaded, bound to the real scrypt, by an earlier file. Loading it
 * afresh after the mock is registered makes it use the recording scrypt whatever ran before;
 * afterwards the real module comes back for the files that follow.
 */
let secrets: typeof import('./secrets.js');
beforeAll(async () => {
  vi.resetModules();
  secrets = await import('./secrets.js');
});
afterAll(() => {
  vi.doUnmock('node:crypto');
  vi.resetModules();
});

afterEach(() => {
  scryptSpy.recordOnly = false;
  scryptSpy.calls.length = 0;
});

describe('password hashing', () => {
  it('hashes at OWASP’s minimum scrypt cost by default (N=2^17, r=8, p=1), and a hash at that cost needs no re-hashing', async () => {
    expect(secrets.DEFAULT_PASSWORD_COST).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    scryptSpy.recordOnly = true;
    const stored = await secrets.hashPassword('correct horse battery staple');
    // What the production code asked scrypt for, and what it wrote into the stored hash.
    expect(scryptSpy.calls).toEqual([{ N: 2 ** 17, r: 8, p: 1 }]);
    expect(secrets.passwordHashCost(stored)).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(secrets.needsRehash(stored)).toBe(false);
    // Verifying uses the cost written in the hash, not a guess.
    expect(await secrets.verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(scryptSpy.calls[1]).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    // The dummy hash compared against for unknown accounts costs as much as a real one.
    expect(secrets.passwordHashCost(await secrets.dummyPasswordHash())).toEqual({ N: 2 ** 17, r: 8, p: 1 });
  });

  it('verifies the right password and refuses a wrong one (real scrypt, at the cost passed in)', async () => {
    const stored = await secrets.hashPassword('correct horse battery staple', TEST_PASSWORD_COST);
    expect(secrets.passwordHashCost(stored)).toEqual(TEST_PASSWORD_COST);
    expect(await secrets.verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await secrets.verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(secrets.needsRehash(stored, TEST_PASSWORD_COST)).toBe(false);
    expect(scryptSpy.calls.every((c) => c.N === TEST_PASSWORD_COST.N)).toBe(true);
  });

  it('still verifies a hash made at the old cost (N=2^15), and says it needs re-hashing', async () => {
    const old = await secrets.hashPassword('an older passphrase', { N: 2 ** 15, r: 8, p: 1 });
    expect(old.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await secrets.verifyPassword('an older passphrase', old)).toBe(true);
    expect(secrets.needsRehash(old)).toBe(true);
    expect(secrets.needsRehash('not a hash')).toBe(true);
    expect(await secrets.verifyPassword('anything', 'not a hash')).toBe(false);
  });
});
