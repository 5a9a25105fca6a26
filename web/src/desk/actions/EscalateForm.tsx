import { useState } from 'react';
import type { EscalationKind } from '../../../../core/vocabulary';
import * as ticketApi from '../../api/endpoints/tickets';
import { useTeams } from '../../api/hooks';
import { Field, IdSelect } from '../../ui/kit';
import { ActionButtons, type ActionFormProps } from './action-form';

/** Escalate: functionally to a more skilled team, or hierarchically to the team manager. */
export function EscalateForm({ ticket, action, baseVersion, onDone }: ActionFormProps) {
  const teams = useTeams();
  const [kind, setKind] = useState<EscalationKind>('functional');
  const [toTeamId, setToTeamId] = useState('');
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const body = { kind, reason, ...(toTeamId ? { toTeamId } : {}) };
        if (await action.save((v) => ticketApi.escalate(ticket.id, v, body), baseVersion)) onDone();
      }}
    >
      <h2>Escalate</h2>
      <Field label="Kind" error={action.fieldError('kind')}>
        {(p) => (
          <select {...p} value={kind} onChange={(e) => setKind(e.target.value as EscalationKind)}>
            <option value="functional">Functional — to a more skilled team</option>
            <option value="hierarchical">Hierarchical — to the team manager’s attention</option>
          </select>
        )}
      </Field>
      {kind === 'functional' && (
        <IdSelect
          label="To team"
          value={toTeamId}
          onChange={(e) => setToTeamId(e.target.value)}
          options={teams.data?.items ?? []}
          none="Choose a team"
          error={action.fieldError('toTeamId')}
        />
      )}
      <Field label="Reason" error={action.fieldError('reason')}>
        {(p) => <textarea {...p} value={reason} onChange={(e) => setReason(e.target.value)} required />}
      </Field>
      <ActionButtons label="Escalate" busy={action.busy} onDone={onDone} />
    </form>
  );
}
