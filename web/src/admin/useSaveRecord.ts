import type { QueryKey } from '@tanstack/react-query';
import { useApiMutation } from '../api/mutation';

/**
 * An admin form's save: it creates the record when there is none yet and updates it otherwise,
 * then the list it belongs to is read again. The body is typed by the create call; an update
 * takes the same fields.
 */
export function useSaveRecord<TBody, TResult>(
  record: { id: string } | null,
  calls: { create: (body: TBody) => Promise<TResult>; update: (id: string, body: TBody) => Promise<TResult> },
  invalidates: readonly QueryKey[],
) {
  return useApiMutation({
    mutationFn: (body: TBody) => (record ? calls.update(record.id, body) : calls.create(body)),
    invalidates,
  });
}
