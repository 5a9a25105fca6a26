/**
 * Sign-in limits: guessing is slowed down, never turned into a lock-out of the owner.
 *
 * Per account (e-mail address): the first few failures in a day are free; after that each
 * attempt must wait for a delay after the previous one, doubling with every further failure up
 * to a cap. An attempt inside the delay is refused (429 + Retry-After) without the password
 * being looked at; once the delay has passed the right password is accepted as always.
 *
 * Per client address: many failures (several people behind one NAT mistype too) are free; beyond
 * them the address may make one attempt per interval — slowed, not shut out.
 *
 * Attempts are claimed (recorded as failures) before the password is verified, under a lock per
 * account and address, so concurrent guesses are counted one after the other; a success then
 * clears the account's failures.
 */
export const SIGN_IN_LIMITS = {
  account: {
    /** Failures are counted over this window (longer than the cap, so waiting out the cap does not reset the count). */
    windowHours: 24,
    freeFailures: 5,
    firstDelaySeconds: 30,
    maxDelaySeconds: 15 * 60,
  },
  address: {
    windowMinutes: 15,
    freeFailures: 30,
    intervalSeconds: 30,
  },
} as const;

export interface AttemptHistory {
  /** Failures (including attempts still being verified) inside the window. */
  failures: number;
  /** When the latest of them was claimed. */
  lastAt: Date | null;
}

export type SignInDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: 'account' | 'address' };

/** The delay an account must wait after its latest attempt, given its failures: 0 while within the free allowance. */
export function accountDelaySeconds(failures: number): number {
  const { freeFailures, firstDelaySeconds, maxDelaySeconds } = SIGN_IN_LIMITS.account;
  if (failures < freeFailures) return 0;
  const doublings = Math.min(failures - freeFailures, 30);
  return Math.min(maxDelaySeconds, firstDelaySeconds * 2 ** doublings);
}

function addressDelaySeconds(failures: number): number {
  return failures < SIGN_IN_LIMITS.address.freeFailures ? 0 : SIGN_IN_LIMITS.address.intervalSeconds;
}

/** Whether an attempt may be verified now; otherwise how long to wait. */
export function decideSignInAttempt(input: { account: AttemptHistory; address: AttemptHistory; now: Date }): SignInDecision {
  const waits: { reason: 'account' | 'address'; seconds: number }[] = [];
  const pending = (history: AttemptHistory, delaySeconds: number) =>
    history.lastAt ? (history.lastAt.getTime() + delaySeconds * 1000 - input.now.getTime()) / 1000 : 0;
  const account = pending(input.account, accountDelaySeconds(input.account.failures));
  if (account > 0) waits.push({ reason: 'account', seconds: account });
  const address = pending(input.address, addressDelaySeconds(input.address.failures));
  if (address > 0) waits.push({ reason: 'address', seconds: address });
  if (waits.length === 0) return { allowed: true };
  const longest = waits.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(longest.seconds)), reason: longest.reason };
}

/** The same key for every spelling of an address, so letter case does not multiply the allowance. */
export function accountKey(email: string): string {
  return email.trim().toLowerCase();
}
