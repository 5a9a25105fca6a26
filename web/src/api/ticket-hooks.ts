import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { humanMessage } from './client';
import * as onCallApi from './endpoints/on-call';
import * as ticketApi from './endpoints/tickets';
import { keys, ticketChanged } from './keys';
import { useApiMutation } from './mutation';
import type { CreateTicketIn, TicketT } from './types';
import { uploadFile } from './upload';

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

/**
 * Creating a ticket with the files chosen for it (the portal's report, the desk's new ticket).
 * One idempotency key per form: a double click, or a retry after a timeout, makes one ticket.
 * The ticket exists once created; files follow. A refused file does not undo it: the answer
 * says why (`uploadError`), and the ticket page lets the person attach it again.
 */
export function useCreateTicketWithFiles(files: readonly File[]) {
  const idempotencyKey = useRef(crypto.randomUUID());
  return useApiMutation({
    mutationFn: async (body: CreateTicketIn) => {
      const ticket = await ticketApi.create(body, idempotencyKey.current);
      let uploadError: string | undefined;
      for (const file of files) {
        try {
          await uploadFile(ticket.id, file);
        } catch (err) {
          uploadError = humanMessage(err);
        }
      }
      return { ticket, uploadError };
    },
    invalidates: [keys.tickets.all],
  });
}
