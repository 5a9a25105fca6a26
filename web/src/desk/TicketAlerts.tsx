import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { humanMessage } from '../api/client';
import * as ticketApi from '../api/endpoints/tickets';
import { ticketChanged } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import { useTicketAlerts } from '../api/ticket-hooks';
import type { PromoteIn, TicketT } from '../api/types';
import { AlertsTable } from '../monitoring/AlertsTable';
import { Button, Field } from '../ui/kit';

/** The monitoring alerts attached to this ticket, with their counts and state. */
export function TicketAlerts({ ticket }: { ticket: TicketT }) {
  const alerts = useTicketAlerts(ticket);
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
  const navigate = useNavigate();
  const [reason, setReason] = useState('');
  const promote = useApiMutation({
    mutationFn: (body: PromoteIn) => ticketApi.promote(ticket.id, body),
    invalidates: ticketChanged(ticket.id),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const incident = await promote.run({ reason });
    if (!incident) return;
    onDone();
    if (incident.id) navigate(`/desk/tickets/${incident.id}`);
  };
  return (
    <form onSubmit={submit}>
      <h2>Promote to an incident</h2>
      <Field
        label="Why is this now an incident?"
        error={promote.error ? (promote.fieldError('reason') ?? humanMessage(promote.error)) : undefined}
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
