import { useQuery } from '@tanstack/react-query';
import * as routingApi from '../api/endpoints/routing';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { RoutingModelStatusT } from '../api/types';
import { Banner, Button, Loading, PageHeader } from '../ui/kit';
import { ErrorNote } from './ErrorNote';

type Evaluation = NonNullable<RoutingModelStatusT['teams']>;

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/**
 * Admin › Routing (issue 18, item 5): whether the learned router has a model, how good it is on
 * tickets it did not learn from (beside always answering the biggest team), which teams it mixes
 * up, and a button to train it again on the resolved tickets. While a training job waits or runs
 * the page asks again every few seconds.
 */
export function RoutingAdmin() {
  const status = useQuery({
    queryKey: keys.routingModel,
    queryFn: routingApi.model,
    refetchInterval: (q) => (q.state.data?.training ? 3_000 : false),
  });
  const train = useApiMutation({ mutationFn: routingApi.train, invalidates: [keys.routingModel] });
  const s = status.data;
  return (
    <div className="stack">
      <PageHeader title="Routing">
        <Button tone="primary" busy={train.busy || s?.training} onClick={() => void train.run(undefined)}>
          {s?.training ? 'Training…' : 'Train now'}
        </Button>
      </PageHeader>
      <p className="muted">
        The learned router reads a new ticket's title, description and service and suggests the team and category that handled tickets like
        it. It learns only from this desk's resolved tickets, inside Firebreak. Train it again after the desk has resolved many more
        tickets, or after importing history.
      </p>
      <ErrorNote error={train.error} />
      {!s ? (
        <Loading what="the router" />
      ) : (
        <>
          {s.state === 'none' && !s.reason && <Banner tone="info">No model yet. Train the router to get suggestions.</Banner>}
          {s.reason && <Banner tone="warning">{s.reason}</Banner>}
          {s.state === 'ready' && s.trainedAt && (
            <p>
              Trained {new Date(s.trainedAt).toLocaleString()}
              {s.trainingMs !== null ? ` in ${(s.trainingMs / 1000).toFixed(1)} s` : ''}.
            </p>
          )}
          {s.teams && <EvaluationCard title="Teams" evaluation={s.teams} noun="team" />}
          {s.categories && <EvaluationCard title="Categories" evaluation={s.categories} noun="category" />}
        </>
      )}
    </div>
  );
}

function EvaluationCard({ title, evaluation: e, noun }: { title: string; evaluation: Evaluation; noun: string }) {
  return (
    <section className="card stack" aria-labelledby={`routing-${noun}`}>
      <h2 id={`routing-${noun}`}>{title}</h2>
      <p className="muted">
        Learned from {e.trainedOn.toLocaleString()} resolved tickets over {e.classes} {noun === 'team' ? 'teams' : 'categories'}; measured
        on {e.examples.toLocaleString()} more it did not see.
      </p>
      <dl className="routing-figures">
        <div>
          <dt>Accuracy</dt>
          <dd>{percent(e.accuracy)}</dd>
        </div>
        <div>
          <dt>Macro-F1</dt>
          <dd>{e.macroF1.toFixed(2)}</dd>
        </div>
        <div>
          <dt>Always the biggest {noun}</dt>
          <dd>{percent(e.majorityBaseline)}</dd>
        </div>
      </dl>
      {e.mostConfused.length > 0 && (
        <table className="data">
          <caption>Most often mixed up</caption>
          <thead>
            <tr>
              <th scope="col">Went to</th>
              <th scope="col">Router said</th>
              <th scope="col">Tickets</th>
            </tr>
          </thead>
          <tbody>
            {e.mostConfused.map((p) => (
              <tr key={`${p.actual.id}-${p.predicted.id}`}>
                <td>{p.actual.name}</td>
                <td>{p.predicted.name}</td>
                <td>{p.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
