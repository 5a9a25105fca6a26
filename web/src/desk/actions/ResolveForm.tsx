import { useState } from 'react';
import { RESOLUTION_CODES, type ResolutionCode } from '../../../../core/vocabulary';
import * as ticketApi from '../../api/endpoints/tickets';
import { Field } from '../../ui/kit';
import { RESOLUTION_LABEL } from '../../ui/labels';
import { ActionButtons, type ActionFormProps } from './action-form';

/** Resolve with a code and what was done; the requester is asked to confirm the fix. */
export function ResolveForm({ ticket, action, baseVersion, onDone }: ActionFormProps) {
  const [code, setCode] = useState<ResolutionCode>('solved_permanently');
  const [notes, setNotes] = useState('');
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const body = { to: 'resolved', resolutionCode: code, resolutionNotes: notes } as const;
        if (await action.save((v) => ticketApi.transition(ticket.id, v, body), baseVersion)) onDone();
      }}
    >
      <h2>Resolve</h2>
      <Field label="Resolution" error={action.fieldError('resolutionCode')}>
        {(p) => (
          <select {...p} value={code} onChange={(e) => setCode(e.target.value as ResolutionCode)}>
            {RESOLUTION_CODES.map((r) => (
              <option key={r} value={r}>
                {RESOLUTION_LABEL[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="What was done"
        hint="The requester sees this and is asked to confirm the fix."
        error={action.fieldError('resolutionNotes')}
      >
        {(p) => <textarea {...p} value={notes} onChange={(e) => setNotes(e.target.value)} required />}
      </Field>
      <ActionButtons label="Resolve" busy={action.busy} onDone={onDone} />
    </form>
  );
}
