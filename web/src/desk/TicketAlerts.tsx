import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, humanMessage } from '../api/client';
import { invalidateTicket } from '../api/hooks';
import type { TicketT } from '../api/types';
import { AlertsTable, type AlertT } from '../monitoring/AlertsTable';
import { Button, Field } from '../ui/kit';

/** The monitoring alerts attached to this ticket, with their counts and state. */
export function TicketAlerts({ ticket }: { ticket: TicketT }) {
  const alerts = useQuery({
    queryKey: ['ticket-alerts', ticket.id, ticket.version],
    queryFn: () => api<{ items: AlertT[] }>('GET', `/tickets/${ticket.id}/alerts`),
  });
  const items = alerts.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="ticket-alerts-title">
      <h2 id="ticket-alerts-title">Alerts ({items.length})</h2>
      <AlertsTable alerts={items} showTicket={false} />
    </section>
  );
}

/** A disturbance that turned out to matter becomes an incident, keeping the link and history. */
export function PromoteForm({ ticket, onDone }: { ticket: TicketT; onDone: () => void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const incident = await api<TicketT>('POST', `/tickets/${ticket.id}/promote`, { reason });
      invalidateTicket(client, ticket.id);
      onDone();
      if (incident?.id) navigate(`/desk/tickets/${incident.id}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit}>
      <h2>Promote to an incident</h2>
      <Field
        label="Why is this now an incident?"
        error={error instanceof ApiError ? (error.field('reason') ?? humanMessage(error)) : error ? humanMessage(error) : undefined}
      >
        {(p) => <textarea {...p} value={reason} onChange={(e) => setReason(e.target.value)} required />}
      </Field>
      <div className="form-actions">
        <Button tone="primary" type="submit">
          Promote
        </Button>
        <Button onClick={onDone}>Back</Button>
      </div>
    </form>
  );
}
