import { type QueryClient, type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from './client';

export interface ApiMutationOptions<TVars, TResult> {
  /** One typed call of `endpoints/`. */
  mutationFn: (vars: TVars) => Promise<TResult>;
  /** What the write changed: every query under these keys is read again once it succeeded. */
  invalidates?: readonly QueryKey[] | ((result: TResult, vars: TVars) => readonly QueryKey[]);
  /** Runs first on success, e.g. to put the saved record in the cache before anything refetches. */
  onSuccess?: (result: TResult, vars: TVars, client: QueryClient) => void;
  /** Read the invalidated keys again after a failure too (only when they do not depend on the answer). */
  refreshOnError?: boolean;
  /** Resolve only once what was invalidated has been read again (e.g. the next page depends on it). */
  awaitRefresh?: boolean;
}

/**
 * The one way the UI writes: a TanStack mutation that refreshes what it changed, and keeps the
 * server's problem+json so a form shows each message next to the field the server named.
 *
 * `run` resolves to the answer, or to `undefined` when the write failed, so a form can
 * `if (await save.run(body)) close()` while the error stays here for the form to show. An endpoint
 * that answers 204 resolves to `null`: test those with `!== undefined`.
 */
export function useApiMutation<TVars = void, TResult = unknown>(options: ApiMutationOptions<TVars, TResult>) {
  const client = useQueryClient();
  const refresh = (list: readonly QueryKey[]) => Promise.all(list.map((queryKey) => client.invalidateQueries({ queryKey })));
  const mutation = useMutation<TResult, unknown, TVars>({
    mutationFn: options.mutationFn,
    onSuccess: async (result, vars) => {
      options.onSuccess?.(result, vars, client);
      const { invalidates = [] } = options;
      const refreshed = refresh(typeof invalidates === 'function' ? invalidates(result, vars) : invalidates);
      if (options.awaitRefresh) await refreshed;
    },
    onError: () => {
      if (options.refreshOnError && Array.isArray(options.invalidates)) refresh(options.invalidates);
    },
  });
  const problem = mutation.error instanceof ApiError ? mutation.error : null;
  return {
    ...mutation,
    busy: mutation.isPending,
    run: async (vars: TVars): Promise<TResult | undefined> => {
      try {
        return await mutation.mutateAsync(vars);
      } catch {
        return undefined; // kept in `error` for the form
      }
    },
    /** The server's message for one field (or a part of it, e.g. `priorityOverride.reason`). */
    fieldError: (name: string): string | undefined => problem?.field(name),
    /** Whether the server blamed particular fields (shown by them), rather than the whole request. */
    hasFieldErrors: (problem?.fieldErrors.length ?? 0) > 0,
    /** 412: someone else changed the record since it was read. */
    conflict: problem?.status === 412 ? problem : null,
  };
}

export type ApiMutation<TVars, TResult> = ReturnType<typeof useApiMutation<TVars, TResult>>;
