import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountDelaySeconds, decideSignInAttempt, SIGN_IN_LIMITS } from './sign-in-limits.js';

const now = new Date('2026-03-02T08:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const none = { failures: 0, lastAt: null };

describe('sign-in limits', () => {
  it('lets the free failures through, then asks for a delay that doubles up to a cap', () => {
    const delays = Array.from({ length: 12 }, (_, n) => accountDelaySeconds(n));
    expect(delays).toEqual([0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]);
  });

  it('refuses an attempt inside the delay with the time left, and allows it once the delay has passed', () => {
    const refused = decideSignInAttempt({ account: { failures: 6, lastAt: ago(10) }, address: none, now });
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 50, reason: 'account' });
    expect(decideSignInAttempt({ account: { failures: 6, lastAt: ago(60) }, address: none, now })).toEqual({ allowed: true });
  });

  it('slows an address beyond its free failures to one attempt per interval, never shutting it out', () => {
    const { freeFailures, intervalSeconds } = SIGN_IN_LIMITS.address;
    const busy = { failures: freeFailures + 500, lastAt: ago(1) };
    expect(decideSignInAttempt({ account: none, address: busy, now })).toEqual({
      allowed: false,
      retryAfterSeconds: intervalSeconds - 1,
      reason: 'address',
    });
    expect(decideSignInAttempt({ account: none, address: { ...busy, lastAt: ago(intervalSeconds) }, now })).toEqual({ allowed: true });
  });

  it('never asks anyone to wait longer than the cap (property)', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), fc.nat(3_600), fc.nat(3_600), (accountFailures, addressFailures, a, b) => {
        const decision = decideSignInAttempt({
          account: { failures: accountFailures, lastAt: ago(a) },
          address: { failures: addressFailures, lastAt: ago(b) },
          now,
        });
        if (!decision.allowed) {
          expect(decision.retryAfterSeconds).toBeGreaterThan(0);
          expect(decision.retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.account.maxDelaySeconds);
        }
      }),
    );
  });
});
