import type { PasswordCost } from '../src/adapters/secrets.js';

/**
 * A cheap scrypt cost for tests (a real deployment uses DEFAULT_PASSWORD_COST, N=2^17, which
 * `secrets.test.ts` asserts). Its own module so that a pure test can use it without loading the app.
 */
export const TEST_PASSWORD_COST: PasswordCost = { N: 2 ** 10, r: 8, p: 1 };
