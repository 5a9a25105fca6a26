import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, type RequestOptions } from '../api/client';

/** An admin write: remembers its error (for messages next to fields) and refreshes what it changed. */
export function useSave(invalidate: string[]) {
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async <T>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      const result = await api<T>(method, path, body, options);
      for (const key of invalidate) client.invalidateQueries({ queryKey: [key] });
      return result;
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) => (error instanceof ApiError ? error.field(name) : undefined);
  return { save, error, busy, fieldError, clear: () => setError(null) };
}
