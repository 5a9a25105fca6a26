import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import * as routingApi from '../api/endpoints/routing';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { RoutingModelStatusT, RoutingSettingsT } from '../api/types';
import { Banner, Button, Field, Loading, PageHeader } from '../ui/kit';
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
      <SettingsForm />
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
          <FeedbackCard feedback={s.feedback} />
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

/** When the router routes new tickets itself, and how often it retrains: percentages and hours, as people say them. */
function SettingsForm() {
  const current = useQuery({ queryKey: keys.routingSettings, queryFn: routingApi.settings });
  const save = useApiMutation({ mutationFn: routingApi.saveSettings, invalidates: [keys.routingSettings] });
  const [form, setForm] = useState({ autoRoute: false, threshold: '80', retrain: false, hours: '168' });
  useEffect(() => {
    const c = current.data;
    if (!c) return;
    setForm({
      autoRoute: c.autoRouteAbove !== null,
      threshold: c.autoRouteAbove !== null ? String(Math.round(c.autoRouteAbove * 100)) : '80',
      retrain: c.retrainEveryHours !== null,
      hours: c.retrainEveryHours !== null ? String(c.retrainEveryHours) : '168',
    });
  }, [current.data]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: RoutingSettingsT = {
      autoRouteAbove: form.autoRoute ? Number(form.threshold) / 100 : null,
      retrainEveryHours: form.retrain ? Number(form.hours) : null,
    };
    await save.run(body);
  };
  if (!current.data) return <Loading what="the router's settings" />;
  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="routing-settings">
      <h2 id="routing-settings">Settings</h2>
      <ErrorNote error={save.error} />
      <label className="choice">
        <input type="checkbox" checked={form.autoRoute} onChange={(e) => setForm({ ...form, autoRoute: e.target.checked })} />
        Route new tickets without a team automatically when the router is confident enough
      </label>
      {form.autoRoute && (
        <Field
          label="Confident enough: at least (%)"
          hint="Below this the agent sees the suggestion on the ticket and takes it with one click."
          error={save.fieldError('autoRouteAbove')}
        >
          {(p) => (
            <input {...p} inputMode="numeric" value={form.threshold} onChange={(e) => setForm({ ...form, threshold: e.target.value })} />
          )}
        </Field>
      )}
      <label className="choice">
        <input type="checkbox" checked={form.retrain} onChange={(e) => setForm({ ...form, retrain: e.target.checked })} />
        Retrain on a schedule
      </label>
      {form.retrain && (
        <Field label="Retrain every (hours)" hint="168 hours is a week." error={save.fieldError('retrainEveryHours')}>
          {(p) => <input {...p} inputMode="numeric" value={form.hours} onChange={(e) => setForm({ ...form, hours: e.target.value })} />}
        </Field>
      )}
      <div className="form-actions">
        <Button tone="primary" type="submit" busy={save.busy}>
          Save settings
        </Button>
      </div>
      {save.isSuccess && <p role="status">Saved.</p>}
    </form>
  );
}

/** How the router's decisions on new tickets fared with the people who then worked them: teams, then categories. */
function FeedbackCard({ feedback: f }: { feedback: RoutingModelStatusT['feedback'] }) {
  return (
    <section className="card stack" aria-labelledby="routing-feedback">
      <h2 id="routing-feedback">In use, the last 30 days</h2>
      {/* Not "Teams" / "Categories": those head the model's evaluation on the same page. */}
      <h3 id="routing-feedback-team">Team decisions</h3>
      <DecisionFigures counts={f} label="team" />
      <h3 id="routing-feedback-category">Category decisions</h3>
      <DecisionFigures counts={f.categories} label="category" />
      <p className="muted">
        An agent's correction is kept on the ticket: once it is resolved, the next training learns from the team and category it ended with.
        Categories are recorded only while a threshold is set.
      </p>
    </section>
  );
}

function DecisionFigures({ counts: c, label }: { counts: RoutingModelStatusT['feedback']['categories']; label: 'team' | 'category' }) {
  const share = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)} %`);
  return (
    <dl className="routing-figures" aria-labelledby={`routing-feedback-${label}`}>
      <div>
        <dt>{label === 'team' ? 'Routed by the router' : 'Category set by the router'}</dt>
        <dd>{c.routed}</dd>
      </div>
      <div>
        <dt>…changed to another {label} by an agent</dt>
        <dd>
          {c.corrected} ({share(c.corrected, c.routed)})
        </dd>
      </div>
      <div>
        <dt>Only suggested</dt>
        <dd>{c.suggested}</dd>
      </div>
      <div>
        <dt>…suggestion taken</dt>
        <dd>
          {c.taken} ({share(c.taken, c.suggested)})
        </dd>
      </div>
      <div>
        <dt>…another {label} chosen</dt>
        <dd>{c.otherChosen}</dd>
      </div>
    </dl>
  );
}
