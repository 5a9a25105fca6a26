import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { humanMessage } from '../api/client';
import * as stormApi from '../api/endpoints/storms';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { StormProposalT } from '../api/types';
import { Banner, Button, Field, When } from '../ui/kit';

/**
 * Storms the detector found (issue 14): a card per open proposal at the top of the desk, read
 * again whenever the live stream announces one, to declare a major incident or dismiss it.
 */
export function StormProposals() {
  const proposals = useQuery({ queryKey: keys.stormProposals, queryFn: stormApi.openProposals });
  const items = proposals.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="storm-proposals" aria-label="Possible major incidents">
      {items.map((p) => (
        <ProposalCard key={p.id} proposal={p} />
      ))}
    </section>
  );
}

function ProposalCard({ proposal }: { proposal: StormProposalT }) {
  const navigate = useNavigate();
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState('');
  const declare = useApiMutation({ mutationFn: stormApi.declareProposal, invalidates: [keys.stormProposals, keys.tickets.all] });
  const dismiss = useApiMutation({ mutationFn: stormApi.dismissProposal, invalidates: [keys.stormProposals] });
  const onDeclare = async () => {
    const done = await declare.run({ id: proposal.id, version: proposal.version });
    if (done) navigate(`/desk/tickets/${done.incidentId}`);
  };
  const onDismiss = async (e: FormEvent) => {
    e.preventDefault();
    await dismiss.run({ id: proposal.id, version: proposal.version, reason });
  };
  const problem = declare.error ?? (dismiss.hasFieldErrors ? null : dismiss.error);
  return (
    <article className="storm-card" aria-labelledby={`storm-${proposal.id}`}>
      <p className="storm-kicker">Possible major incident</p>
      <h2 id={`storm-${proposal.id}`}>{proposal.headline}</h2>
      <p className="muted">
        First report “{proposal.sampleTitle}” · since <When at={proposal.firstAt} />
      </p>
      {problem ? <Banner tone="danger">{humanMessage(problem)}</Banner> : null}
      {dismissing ? (
        <form className="stack" onSubmit={onDismiss}>
          <Field label="Why is this not a major incident?" error={dismiss.fieldError('reason')}>
            {(props) => <input {...props} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />}
          </Field>
          <div className="row">
            <Button type="submit" busy={dismiss.busy}>
              Dismiss
            </Button>
            <Button tone="ghost" onClick={() => setDismissing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="row">
          <Button tone="danger" busy={declare.busy} onClick={onDeclare}>
            Declare major incident
          </Button>
          <Button tone="ghost" onClick={() => setDismissing(true)}>
            Dismiss…
          </Button>
        </div>
      )}
    </article>
  );
}
