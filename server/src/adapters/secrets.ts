import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords get scrypt, a memory-hard hash built into Node (no native dependency to install).
 * The default cost is OWASP's minimum for scrypt: N=2^17, r=8, p=1 — 128 MiB and 0.7–1.7 s
 * per hash on the shared 2-core development machine under load; Node runs at most four at a
 * time (its thread pool), which bounds the memory. Each stored hash carries its parameters
 * (`scrypt$N$r$p$salt$key`), so a hash made at an older, lower cost still verifies and is
 * upgraded on the person's next successful sign-in (`needsRehash`). Session cookies and API
 * tokens are long random secrets: a fast SHA-256 is enough for them and keeps every request cheap.
 */
export interface PasswordCost {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_PASSWORD_COST: PasswordCost = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, cost: PasswordCost, keyLength: number): Promise<Buffer> {
  // scrypt needs 128·N·r·p bytes; leave room above it, or Node refuses the larger costs.
  const maxmem = 2 * 128 * cost.N * cost.r * cost.p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N: cost.N, r: cost.r, p: cost.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: PasswordCost = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, cost, KEY_LENGTH);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** The parameters a stored hash was made with; null when it is not a scrypt hash we can read. */
export function passwordHashCost(stored: string): PasswordCost | null {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !key) return null;
  if (![cost.N, cost.r, cost.p].every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  return cost;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const cost = passwordHashCost(stored);
  if (!cost) return false;
  const [, , , , salt, key] = stored.split('$');
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), cost, expected.length);
  return timingSafeEqual(actual, expected);
}

/** Whether a stored hash was made at a lower cost than today's: it is re-hashed on the next sign-in. */
export function needsRehash(stored: string, cost: PasswordCost = DEFAULT_PASSWORD_COST): boolean {
  const current = passwordHashCost(stored);
  return !current || current.N < cost.N || current.r < cost.r || current.p < cost.p;
}

/** A hash to compare against when the user does not exist, so timing does not reveal accounts. */
const dummyHashes = new Map<string, Promise<string>>();
export function dummyPasswordHash(cost: PasswordCost = DEFAULT_PASSWORD_COST): Promise<string> {
  const key = `${cost.N}/${cost.r}/${cost.p}`;
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = hashPassword(randomBytes(16).toString('hex'), cost);
    dummyHashes.set(key, hash);
  }
  return hash;
}

export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A password people can type from a terminal once: 24 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 24 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
