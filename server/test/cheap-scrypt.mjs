import { createRequire, syncBuiltinESMExports } from 'node:module';

/**
 * Preloaded (`node --import`) into the server processes tests start (server-process.ts), never
 * into a real server: scrypt there works at N=2^10 whatever N the code asks for. The production
 * cost (N=2^17: 128 MiB and seconds per hash on a loaded 2-core machine) made every person an
 * e2e file adds with a password, and every sign-in in a browser, cost that much, dozens of times
 * a run. The code path is the real one — hashes are made, stored (still saying N=2^17) and
 * verified by the server's own functions — only scrypt's work factor is smaller; that production
 * hashes at N=2^17 is asserted in server/src/adapters/secrets.test.ts.
 *
 * Plain JavaScript, so that it preloads into the compiled server `npm start` runs (server/launch.mjs)
 * without a TypeScript loader in the process.
 */
const TEST_N = 2 ** 10;
const require = createRequire(import.meta.url);
const crypto = require('node:crypto');
const scrypt = crypto.scrypt;
crypto.scrypt = (password, salt, keyLength, options, callback) => {
  if (typeof options === 'function') return scrypt(password, salt, keyLength, options);
  const given = options ?? {};
  return scrypt(password, salt, keyLength, { ...given, N: Math.min(given.N ?? TEST_N, TEST_N), cost: undefined }, callback);
};
syncBuiltinESMExports();
