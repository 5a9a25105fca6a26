import { useState } from 'react';
import * as ticketApi from '../../api/endpoints/tickets';
import { Field } from '../../ui/kit';
import { ActionButtons, type ActionFormProps } from './action-form';

/** A move that needs only a reason, said on the timeline. */
function ReasonMoveForm({
  to,
  title,
  submit,
  ticket,
  action,
  baseVersion,
  onDone,
}: ActionFormProps & { to: 'cancelled' | 'in_progress'; title: string; submit: string }) {
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        if (await action.save((v) => ticketApi.transition(ticket.id, v, { to, reason }), baseVersion)) onDone();
      }}
    >
      <h2>{title}</h2>
      <Field label="Reason" error={action.fieldError('reason')}>
        {(p) => <textarea {...p} value={reason} onChange={(e) => setReason(e.target.value)} required />}
      </Field>
      <ActionButtons label={submit} busy={action.busy} onDone={onDone} />
    </form>
  );
}

/** Cancel the ticket (no longer needed, a duplicate), with why. */
export function CancelForm(props: ActionFormProps) {
  return <ReasonMoveForm {...props} to="cancelled" title="Cancel the ticket" submit="Cancel ticket" />;
}

/** Reopen a resolved ticket whose fix did not hold, with why. */
export function ReopenForm(props: ActionFormProps) {
  return <ReasonMoveForm {...props} to="in_progress" title="Reopen the ticket" submit="Reopen" />;
}
