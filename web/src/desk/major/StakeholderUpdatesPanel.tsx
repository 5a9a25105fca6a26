import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { UPDATE_STAGE_LABELS, type UpdateStage } from '../../../../core/stakeholder-updates';
import { humanMessage } from '../../api/client';
import * as api from '../../api/endpoints/stakeholder-updates';
import { keys } from '../../api/keys';
import type { TicketT } from '../../api/types';
import { dateTime } from '../../ui/format';
import { Banner, Button, Loading } from '../../ui/kit';
import { CorrectSentUpdate } from './CorrectSentUpdate';
import { UpdateComposerForm } from './UpdateComposerForm';
import { UpdateDueBadge } from './UpdateDue';

/**
 * Stakeholder updates on an incident's page (issue 15): when the next one is due, the evaluation
 * point waiting ("Who needs to know now?"), the composer and the updates sent (who, when, to
 * whom, what). Read under the ticket's timeline key, so the live stream refreshes it.
 */
export function StakeholderUpdatesPanel({ ticket }: { ticket: TicketT }) {
  const composer = useQuery({
    queryKey: [...keys.ticket.timeline(ticket.id), 'stakeholder-updates'],
    queryFn: () => api.composer(ticket.id),
  });
  const [open, setOpen] = useState(false);
  const active = !['closed', 'cancelled'].includes(ticket.state);
  const c = composer.data;
  return (
    <section className="card" aria-labelledby="updates-title" data-testid="stakeholder-updates">
      <div className="row spread">
        <h2 id="updates-title">Stakeholder updates</h2>
        {c?.cadence.nextDueAt ? <UpdateDueBadge nextDueAt={c.cadence.nextDueAt} status={c.cadence.status} /> : null}
      </div>
      {composer.isPending ? <Loading what="the updates" /> : null}
      {composer.error ? <Banner tone="danger">{humanMessage(composer.error)}</Banner> : null}
      {c && active && c.evaluationPoint && !open ? (
        <Banner tone="warning" title="Who needs to know now?">
          {c.evaluationPoint.label} ({dateTime(c.evaluationPoint.at)}) and no update has been sent since.{' '}
          <Button tone="primary" onClick={() => setOpen(true)}>
            Write an update
          </Button>
        </Banner>
      ) : null}
      {c && active && !c.evaluationPoint && !open ? (
        <div className="row">
          <Button onClick={() => setOpen(true)}>Write an update</Button>
        </div>
      ) : null}
      {c && open ? <UpdateComposerForm ticket={ticket} composer={c} onSent={() => setOpen(false)} /> : null}
      {c && c.updates.length > 0 ? (
        <>
          <h3 className="sent-updates-title">Sent</h3>
          <ul className="plain-list sent-updates">
            {c.updates.map((u) => (
              <li key={u.id} className="sent-update">
                <p className="muted">
                  {UPDATE_STAGE_LABELS[u.stage as UpdateStage] ?? u.stage} · {u.actorName ?? 'Firebreak'} · {dateTime(u.at)}
                </p>
                <p className="preview-text">{u.text}</p>
                <p className="muted">To: {u.audiences.map((a) => a.name).join(', ')}</p>
                {u.publicUpdateId !== null ? <CorrectSentUpdate ticketId={ticket.id} update={u} /> : null}
              </li>
            ))}
          </ul>
        </>
      ) : c ? (
        <p className="muted">No update sent yet.</p>
      ) : null}
    </section>
  );
}
