import { useRef, useState } from 'react';
import { humanMessage } from '../../api/client';
import * as api from '../../api/endpoints/incident-response';
import { keys, ticketChanged } from '../../api/keys';
import { useInvestigations } from '../../api/major-incident-hooks';
import { useApiMutation } from '../../api/mutation';
import type { InvestigationT, TicketT } from '../../api/types';
import { Banner, Button, Field, Loading } from '../../ui/kit';

type Staff = { id: string; name: string }[];

const STATUS_LABEL: Record<InvestigationT['status'], string> = { open: 'Open', confirmed: 'Confirmed', ruled_out: 'Ruled out' };

/** Investigations side by side, each with its findings; confirming one records the root cause. */
export function InvestigationsPanel({ ticket, staff }: { ticket: TicketT; staff: Staff }) {
  const list = useInvestigations(ticket.id);
  const key = useRef(crypto.randomUUID());
  const [hypothesis, setHypothesis] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const open = useApiMutation({
    mutationFn: () => api.openInvestigation(ticket.id, { hypothesis, ownerId }, key.current),
    invalidates: [keys.ticket.response(ticket.id), keys.ticket.timeline(ticket.id)],
    onSuccess: () => {
      key.current = crypto.randomUUID();
      setHypothesis('');
      setOwnerId('');
    },
  });
  const active = !['closed', 'cancelled'].includes(ticket.state);
  return (
    <section className="card" aria-labelledby="investigations-title">
      <h2 id="investigations-title">Investigations</h2>
      <p className="root-cause">
        <strong>Root cause:</strong> {ticket.rootCause ?? <span className="muted">not known yet</span>}
      </p>
      {list.isPending ? (
        <Loading what="the investigations" />
      ) : (list.data?.items.length ?? 0) === 0 ? (
        <p className="muted">No investigation yet. Open one per hypothesis: they run side by side.</p>
      ) : (
        <div className="investigations">
          {list.data?.items.map((i) => (
            <InvestigationCard key={i.id} ticket={ticket} investigation={i} active={active} />
          ))}
        </div>
      )}
      {active && (
        <form
          className="form-grid new-investigation"
          onSubmit={(e) => {
            e.preventDefault();
            open.run();
          }}
        >
          <Field label="Hypothesis" error={open.fieldError('hypothesis')}>
            {(p) => (
              <input {...p} value={hypothesis} onChange={(e) => setHypothesis(e.target.value)} placeholder="e.g. the certificate expired" />
            )}
          </Field>
          <Field label="Owner" error={open.fieldError('ownerId')}>
            {(p) => (
              <select {...p} value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
                <option value="">Choose a person</option>
                {staff.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-actions-inline">
            <Button tone="primary" type="submit" busy={open.busy} disabled={!hypothesis.trim() || !ownerId}>
              Open investigation
            </Button>
          </div>
          {open.error && !open.hasFieldErrors ? <Banner tone="danger">{humanMessage(open.error)}</Banner> : null}
        </form>
      )}
    </section>
  );
}

function InvestigationCard({ ticket, investigation: i, active }: { ticket: TicketT; investigation: InvestigationT; active: boolean }) {
  const [finding, setFinding] = useState('');
  const [concluding, setConcluding] = useState<null | 'confirmed' | 'ruled_out'>(null);
  const [conclusion, setConclusion] = useState('');
  const invalidates = [keys.ticket.response(ticket.id), ...ticketChanged(ticket.id)];
  const findingKey = useRef(crypto.randomUUID());
  const add = useApiMutation({
    mutationFn: () => api.addFinding(ticket.id, i.id, finding, findingKey.current),
    invalidates,
    onSuccess: () => {
      findingKey.current = crypto.randomUUID();
      setFinding('');
    },
  });
  const decide = useApiMutation({
    mutationFn: (status: 'open' | 'confirmed' | 'ruled_out') =>
      api.updateInvestigation(ticket.id, i.id, i.version, { status, ...(status === 'open' ? {} : { conclusion }) }),
    invalidates,
    refreshOnError: true,
    onSuccess: () => setConcluding(null),
  });
  return (
    <article className={`investigation investigation-${i.status}`} aria-label={`Investigation: ${i.hypothesis}`}>
      <div className="row">
        <h3>{i.hypothesis}</h3>
        <span className={`badge status-${i.status}`}>{STATUS_LABEL[i.status]}</span>
      </div>
      <p className="muted">
        {i.owner?.name}
        {i.helpers.length > 0 ? ` with ${i.helpers.map((h) => h.name).join(', ')}` : ''}
      </p>
      {i.conclusion && <p className="conclusion">{i.conclusion}</p>}
      {i.findings.length > 0 && (
        <ol className="findings">
          {i.findings.map((f) => (
            <li key={f.id}>
              <span className="muted">{f.author?.name}:</span> {f.body}
            </li>
          ))}
        </ol>
      )}
      {active && (
        <>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              add.run();
            }}
          >
            <Field label="Finding" error={add.fieldError('body')}>
              {(p) => <input {...p} value={finding} onChange={(e) => setFinding(e.target.value)} />}
            </Field>
            <Button type="submit" busy={add.busy} disabled={!finding.trim()}>
              Add
            </Button>
          </form>
          {concluding ? (
            <form
              className="stack"
              onSubmit={(e) => {
                e.preventDefault();
                decide.run(concluding);
              }}
            >
              <Field
                label={concluding === 'confirmed' ? 'Conclusion (becomes the root cause)' : 'Why it is ruled out'}
                error={decide.fieldError('conclusion')}
              >
                {(p) => <textarea {...p} rows={2} value={conclusion} onChange={(e) => setConclusion(e.target.value)} />}
              </Field>
              <div className="row">
                <Button tone="primary" type="submit" busy={decide.busy}>
                  {concluding === 'confirmed' ? 'Confirm' : 'Rule out'}
                </Button>
                <Button onClick={() => setConcluding(null)}>Cancel</Button>
              </div>
            </form>
          ) : i.status === 'open' ? (
            <div className="row">
              <Button onClick={() => setConcluding('confirmed')}>Confirm…</Button>
              <Button onClick={() => setConcluding('ruled_out')}>Rule out…</Button>
            </div>
          ) : (
            <Button tone="ghost" busy={decide.busy} onClick={() => decide.run('open')}>
              Reopen
            </Button>
          )}
          {decide.conflict ? <Banner tone="warning">Someone changed this investigation meanwhile; it has been reloaded.</Banner> : null}
          {decide.error && !decide.hasFieldErrors && !decide.conflict ? <Banner tone="danger">{humanMessage(decide.error)}</Banner> : null}
        </>
      )}
    </article>
  );
}
