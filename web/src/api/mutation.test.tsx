// @vitest-environment happy-dom
import { useQuery } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { newQueryClient, problem, stubApi, withQueries } from '../testing/api-stub';
import { request } from './client';
import { keys } from './keys';
import { useApiMutation } from './mutation';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

const team = { id: 't1', name: 'Network', description: '', managerId: null, memberIds: [], createdAt: '2026-01-01T00:00:00Z' };

describe('useApiMutation', () => {
  it('gives the message the server put on a field, and resolves undefined so the form stays open', async () => {
    stubApi({ 'POST /teams': problem(400, [{ field: 'name', message: 'must not be empty' }]) });
    const { result } = renderHook(() => useApiMutation({ mutationFn: (body: { name: string }) => request('POST', '/teams', body) }), {
      wrapper: withQueries(newQueryClient()),
    });
    let answer: unknown = 'not yet';
    await act(async () => {
      answer = await result.current.run({ name: '' });
    });
    expect(answer).toBeUndefined();
    await waitFor(() => expect(result.current.fieldError('name')).toBe('must not be empty'));
    expect(result.current.fieldError('description')).toBeUndefined();
    expect(result.current.hasFieldErrors).toBe(true);
    expect(result.current.conflict).toBeNull();
  });

  it('reads the keys it changed again after a success, and resolves to the answer', async () => {
    let teams = [team];
    const api = stubApi({
      'GET /teams': () => ({ status: 200, body: { items: teams } }),
      'POST /teams': (req) => {
        const created = { ...team, id: 't2', name: (req.body as { name: string }).name };
        teams = [...teams, created];
        return { status: 201, body: created };
      },
    });
    const client = newQueryClient();
    const { result } = renderHook(
      () => ({
        list: useQuery({ queryKey: keys.teams, queryFn: () => request<{ items: (typeof team)[] }>('GET', '/teams') }),
        create: useApiMutation({
          mutationFn: (body: { name: string }) => request<typeof team>('POST', '/teams', body),
          invalidates: [keys.teams],
        }),
      }),
      { wrapper: withQueries(client) },
    );
    await waitFor(() => expect(result.current.list.data?.items).toHaveLength(1));
    let created: typeof team | undefined;
    await act(async () => {
      created = await result.current.create.run({ name: 'Database' });
    });
    expect(created?.name).toBe('Database');
    await waitFor(() => expect(result.current.list.data?.items.map((t) => t.name)).toEqual(['Network', 'Database']));
    expect(api.count('GET', '/teams')).toBe(2);
  });

  it('does not read anything again after a refusal, unless asked to', async () => {
    const api = stubApi({
      'GET /teams': { status: 200, body: { items: [team] } },
      'POST /teams': problem(422, [], 'A team with this name exists.'),
    });
    const client = newQueryClient();
    const { result } = renderHook(
      () => ({
        list: useQuery({ queryKey: keys.teams, queryFn: () => request('GET', '/teams') }),
        quiet: useApiMutation({ mutationFn: () => request('POST', '/teams', {}), invalidates: [keys.teams] }),
        loud: useApiMutation({ mutationFn: () => request('POST', '/teams', {}), invalidates: [keys.teams], refreshOnError: true }),
      }),
      { wrapper: withQueries(client) },
    );
    await waitFor(() => expect(result.current.list.isSuccess).toBe(true));
    await act(async () => {
      await result.current.quiet.run();
    });
    await waitFor(() => expect(result.current.quiet.error).not.toBeNull());
    expect(result.current.quiet.hasFieldErrors).toBe(false);
    expect(api.count('GET', '/teams')).toBe(1);
    await act(async () => {
      await result.current.loud.run();
    });
    await waitFor(() => expect(api.count('GET', '/teams')).toBe(2));
  });

  it('names a 412 a conflict, and forgets the error on reset', async () => {
    stubApi({ 'PATCH /tickets/x': problem(412, [], 'Sam changed this ticket 2 minutes ago.') });
    const { result } = renderHook(() => useApiMutation({ mutationFn: () => request('PATCH', '/tickets/x', {}, { ifMatch: 3 }) }), {
      wrapper: withQueries(newQueryClient()),
    });
    await act(async () => {
      await result.current.run();
    });
    await waitFor(() => expect(result.current.conflict?.detail).toBe('Sam changed this ticket 2 minutes ago.'));
    act(() => result.current.reset());
    await waitFor(() => expect(result.current.error).toBeNull());
    expect(result.current.conflict).toBeNull();
  });

  it('tells a 204 (null) from a failure (undefined)', async () => {
    stubApi({ 'DELETE /me/saved-views/v1': { status: 204 } });
    const { result } = renderHook(() => useApiMutation({ mutationFn: () => request<null>('DELETE', '/me/saved-views/v1') }), {
      wrapper: withQueries(newQueryClient()),
    });
    let answer: unknown = 'not yet';
    await act(async () => {
      answer = await result.current.run();
    });
    expect(answer).toBeNull();
  });
});
