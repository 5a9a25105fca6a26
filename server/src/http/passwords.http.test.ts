import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { users } from '../db/schema/index.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a new and longer passphrase';

let t: TestApp;
let admin: TestUser;
let ipCounter = 0;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
});

afterAll(() => t.close());

const freshIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

async function signIn(email: string, password: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password }, remoteAddress: freshIp() });
}

async function session(email: string, password: string): Promise<{ cookie: string }> {
  const res = await signIn(email, password);
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'firebreak_session');
  return { cookie: `firebreak_session=${cookie?.value}` };
}

const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
const changePassword = (headers: Record<string, string>, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers, payload, remoteAddress: freshIp() });
const reset = (id: string, payload: Record<string, unknown> = {}, headers: Record<string, string> = admin.headers) =>
  t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/password-reset`, headers, payload });

describe('changing your own password', () => {
  it('needs the current password and a new one of at least 12 characters, naming the field, and changes nothing otherwise', async () => {
    const person = await t.user('requester', { password: PASSWORD });
    const here = await session(person.user.email, PASSWORD);
    const wrong = await changePassword(here, { currentPassword: 'not my password', newPassword: NEW_PASSWORD });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).errors).toEqual([{ field: 'currentPassword', message: 'is not your current password' }]);
    const short = await changePassword(here, { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(json(short).errors).toEqual([{ field: 'newPassword', message: 'must be at least 12 characters' }]);
    const same = await changePassword(here, { currentPassword: PASSWORD, newPassword: PASSWORD });
    expect(json(same).errors).toEqual([{ field: 'newPassword', message: 'must be different from your current password' }]);
    expect((await signIn(person.user.email, PASSWORD)).statusCode).toBe(200);
  });

  it('tells someone without a password (made through single sign-on or by the desk) that they have none to change: 409 naming the field', async () => {
    const person = await t.user('agent');
    expect(json(await get('/api/v1/me', person.headers))).toMatchObject({ hasPassword: false, localPasswords: { enabled: true } });
    const res = await changePassword(person.headers, { currentPassword: 'anything I guess', newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(409);
    expect(json(res).errors).toEqual([{ field: 'currentPassword', message: 'you have no password here: you sign in with single sign-on' }]);
    const [row] = await t.deps.db.select().from(users).where(eq(users.id, person.user.id));
    expect(row.passwordHash).toBeNull();
  });

  it('signs out every other session and revokes API tokens by default; the session in use stays', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const here = await session(person.user.email, PASSWORD);
    const elsewhere = await session(person.user.email, PASSWORD);
    const res = await changePassword(here, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ revokedApiTokens: 1 });
    expect((await get('/api/v1/me', here)).statusCode).toBe(200);
    expect((await get('/api/v1/me', elsewhere)).statusCode).toBe(401);
    expect((await get('/api/v1/me', person.headers)).statusCode).toBe(401);
    expect((await signIn(person.user.email, PASSWORD)).statusCode).toBe(401);
    expect((await signIn(person.user.email, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('keeps API tokens when asked to', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const here = await session(person.user.email, PASSWORD);
    const res = await changePassword(here, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeApiTokens: false });
    expect(json(res)).toEqual({ revokedApiTokens: 0 });
    expect((await get('/api/v1/me', person.headers)).statusCode).toBe(200);
  });

  it('counts wrong current passwords against the sign-in limit, so a stolen session cannot guess it', async () => {
    const person = await t.user('requester', { password: PASSWORD });
    const here = await session(person.user.email, PASSWORD);
    for (let i = 0; i < 5; i++) {
      expect((await changePassword(here, { currentPassword: `guess ${i} guess`, newPassword: NEW_PASSWORD })).statusCode).toBe(400);
    }
    const limited = await changePassword(here, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(30_000);
    expect((await changePassword(here, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).statusCode).toBe(200);
  });
});

describe('an admin resetting a password', () => {
  it('gives a temporary password once, ends their sessions, revokes their tokens, and lets them do nothing but choose a new password', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const theirs = await session(person.user.email, PASSWORD);
    const res = await reset(person.user.id);
    expect(res.statusCode, res.body).toBe(200);
    const { temporaryPassword, revokedApiTokens } = json(res);
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
    expect(revokedApiTokens).toBe(1);
    expect((await get('/api/v1/me', theirs)).statusCode).toBe(401);
    expect((await get('/api/v1/me', person.headers)).statusCode).toBe(401);
    expect((await signIn(person.user.email, PASSWORD)).statusCode).toBe(401);

    const signedIn = await signIn(person.user.email, temporaryPassword);
    expect(signedIn.statusCode).toBe(200);
    expect(json(signedIn).mustChangePassword).toBe(true);
    const temp = { cookie: `firebreak_session=${signedIn.cookies.find((c) => c.name === 'firebreak_session')?.value}` };
    expect(json(await get('/api/v1/me', temp)).mustChangePassword).toBe(true);
    const blocked = await get('/api/v1/tickets', temp);
    expect(blocked.statusCode).toBe(403);
    expect(json(blocked).detail).toMatch(/choose a new password first/i);

    const changed = await changePassword(temp, { currentPassword: temporaryPassword, newPassword: NEW_PASSWORD });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await get('/api/v1/tickets', temp)).statusCode).toBe(200);
    expect(json(await get('/api/v1/me', temp)).mustChangePassword).toBe(false);
    expect((await signIn(person.user.email, temporaryPassword)).statusCode).toBe(401);
  });

  it('lets the admin keep the tokens of an integration account', async () => {
    const person = await t.user('agent', { password: PASSWORD });
    const res = await reset(person.user.id, { revokeApiTokens: false });
    expect(json(res).revokedApiTokens).toBe(0);
    expect((await get('/api/v1/me', person.headers)).statusCode).toBe(200);
  });

  it('works at once for someone slowed down by their own wrong passwords', async () => {
    const person = await t.user('requester', { password: PASSWORD });
    for (let i = 0; i < 6; i++) await signIn(person.user.email, 'forgotten it again');
    const { temporaryPassword } = json(await reset(person.user.id));
    expect((await signIn(person.user.email, temporaryPassword)).statusCode).toBe(200);
  });

  it('refuses resetting your own password or an unknown person’s, and refuses non-admins, changing nothing', async () => {
    expect(json(await reset(admin.user.id)).detail).toMatch(/Settings/);
    expect((await reset(admin.user.id)).statusCode).toBe(422);
    expect((await reset('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const manager = await t.user('manager');
    const person = await t.user('agent', { password: PASSWORD });
    expect((await reset(person.user.id, {}, manager.headers)).statusCode).toBe(403);
    expect((await signIn(person.user.email, PASSWORD)).statusCode).toBe(200);
    const bad = await reset(person.user.id, { revokeApiTokens: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toBe('revokeApiTokens');
  });
});

describe('API tokens and a change of standing', () => {
  const patch = (id: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: admin.headers, payload });

  it('revokes API tokens when an admin sets a new password, unless told to keep them', async () => {
    const person = await t.user('agent');
    expect((await patch(person.user.id, { password: NEW_PASSWORD })).statusCode).toBe(200);
    expect((await get('/api/v1/me', person.headers)).statusCode).toBe(401);
    const kept = await t.user('agent');
    expect((await patch(kept.user.id, { password: NEW_PASSWORD, revokeApiTokens: false })).statusCode).toBe(200);
    expect((await get('/api/v1/me', kept.headers)).statusCode).toBe(200);
  });

  it('does not revive old API tokens when a deactivated person is reactivated', async () => {
    const person = await t.user('agent');
    expect((await patch(person.user.id, { active: false })).statusCode).toBe(200);
    expect((await patch(person.user.id, { active: true })).statusCode).toBe(200);
    expect((await get('/api/v1/me', person.headers)).statusCode).toBe(401);
  });
});
