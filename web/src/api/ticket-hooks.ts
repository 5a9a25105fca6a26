import { useQuery } from '@tanstack/react-query';
import * as onCallApi from './endpoints/on-call';
import * as ticketApi from './endpoints/tickets';
import { keys, ticketChanged } from './keys';
import { useApiMutation } from './mutation';
import type { TicketT } from './types';

// What the desk's ticket page reads beside the ticket itself, and the writes made to it.

export function useTicketAttachments(ticketId: string) {
  return useQuery({ queryKey: keys.ticket.attachments(ticketId), queryFn: () => ticketApi.attachments(ticketId) });
}

/** Keyed by the ticket's version: a change to the ticket (a pause, a resolution) reads it again. */
export function useTicketSla(ticketId: string, version: number) {
  return useQuery({ queryKey: keys.ticket.sla(ticketId, version), queryFn: () => ticketApi.sla(ticketId), refetchInterval: 60_000 });
}

export function useTicketAlerts(ticket: TicketT) {
  return useQuery({ queryKey: keys.ticket.alerts(ticket.id, ticket.version), queryFn: () => ticketApi.alerts(ticket.id) });
}

export function useTicketEmails(ticketId: string) {
  return useQuery({ queryKey: keys.ticket.emails(ticketId), queryFn: () => ticketApi.emails(ticketId) });
}

export function useTicketPagesOfOnCall(ticket: TicketT) {
  return useQuery({ queryKey: keys.pages.ofTicketAt(ticket.id, ticket.version), queryFn: () => onCallApi.pagesOfTicket(ticket.id) });
}

/**
 * A write to a ticket, made against the version the person was looking at. The caller passes the
 * typed call to make (`(version) => ticketApi.transition(id, version, body)`); the saved ticket
 * goes straight into the cache and everything that shows the ticket is read again. A 412 means
 * someone else changed it meanwhile: `conflict` keeps that error (which names who) for the
 * conflict banner, and nothing is overwritten.
 */
export function useTicketAction(ticket: TicketT) {
  const mutation = useApiMutation({
    mutationFn: ({ send, version }: { send: (version: number) => Promise<TicketT | null>; version: number }) => send(version),
    onSuccess: (saved, _vars, client) => {
      if (saved?.id) client.setQueryData(keys.ticket.row(ticket.id), saved);
    },
    invalidates: ticketChanged(ticket.id),
  });
  return {
    ...mutation,
    /** Sends `send` against `baseVersion` (default: the version on screen); true when it was saved. */
    save: async (send: (version: number) => Promise<TicketT | null>, baseVersion: number = ticket.version) =>
      (await mutation.run({ send, version: baseVersion })) !== undefined,
  };
}

export type TicketAction = ReturnType<typeof useTicketAction>;
