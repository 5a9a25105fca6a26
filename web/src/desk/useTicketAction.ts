import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api/client';
import { invalidateTicket, keys } from '../api/hooks';
import type { TicketT } from '../api/types';

/**
 * A write to a ticket made against the version the person was looking at. A 412 means someone
 * else changed it meanwhile: the error (which names who) is kept for the conflict banner, and
 * nothing is overwritten.
 */
export function useTicketAction(ticket: TicketT) {
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (method: string, path: string, body: unknown, baseVersion: number = ticket.version): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api<TicketT>(method, `/tickets/${ticket.id}${path}`, body, { ifMatch: baseVersion });
      if (saved?.id) client.setQueryData(keys.ticket(ticket.id), saved);
      invalidateTicket(client, ticket.id);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const conflict = error instanceof ApiError && error.status === 412 ? error : null;
  return { run, error, busy, conflict, clearError: () => setError(null) };
}
