import { useState } from 'react';
import { ON_HOLD_REASONS, type OnHoldReason } from '../../../../core/vocabulary';
import * as ticketApi from '../../api/endpoints/tickets';
import { Field } from '../../ui/kit';
import { ON_HOLD_LABEL } from '../../ui/labels';
import { ActionButtons, type ActionFormProps } from './action-form';

/** Put the ticket on hold, or (already on hold) change what it waits for. */
export function HoldForm({ ticket, action, baseVersion, onDone }: ActionFormProps) {
  const onHold = ticket.state === 'on_hold';
  const [reason, setReason] = useState('');
  // Already on hold: the form changes what it waits for, so it starts on another reason.
  const [holdReason, setHoldReason] = useState<OnHoldReason>(
    ON_HOLD_REASONS.find((r) => r !== (onHold ? ticket.onHoldReason : null)) ?? 'awaiting_requester',
  );
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const body = { to: 'on_hold', onHoldReason: holdReason, reason: reason || undefined } as const;
        if (await action.save((v) => ticketApi.transition(ticket.id, v, body), baseVersion)) onDone();
      }}
    >
      <h2>{onHold ? 'Change what it waits for' : 'Put on hold'}</h2>
      <Field
        label="Waiting for"
        error={action.fieldError('onHoldReason')}
        hint="Waiting for the requester pauses the SLA clock where the policy says so."
      >
        {(p) => (
          <select {...p} value={holdReason} onChange={(e) => setHoldReason(e.target.value as OnHoldReason)}>
            {ON_HOLD_REASONS.map((r) => (
              <option key={r} value={r}>
                {ON_HOLD_LABEL[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Note (optional)" error={action.fieldError('reason')}>
        {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <ActionButtons label={onHold ? 'Save' : 'Put on hold'} busy={action.busy} onDone={onDone} />
    </form>
  );
}
