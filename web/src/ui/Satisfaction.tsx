import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { RATING_WORDS } from '../../../core/satisfaction';
import { humanMessage } from '../api/client';
import * as stormApi from '../api/endpoints/storms';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import { Banner, Button, Field, When } from './kit';

const SCALE = [1, 2, 3, 4, 5];

/** The requester's "how did we do?" on a closed ticket: five choices and a comment, changeable for a week. */
export function RateHandling({ ticketId }: { ticketId: string }) {
  const satisfaction = useQuery({ queryKey: keys.satisfaction(ticketId), queryFn: () => stormApi.satisfaction(ticketId) });
  const given = satisfaction.data?.rating ?? null;
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const save = useApiMutation({ mutationFn: stormApi.rate, invalidates: [keys.satisfaction(ticketId)] });
  if (!satisfaction.data) return null;
  const canRate = satisfaction.data.canRate;
  if (!canRate && !given) return null;

  const chosen = rating ?? given?.rating ?? null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (chosen === null) return;
    if (await save.run({ ticketId, body: { rating: chosen, comment: comment ?? given?.comment ?? '' } })) setEditing(false);
  };

  if (given && !editing) {
    return (
      <section className="card rating-card" aria-labelledby="rating-title">
        <h2 id="rating-title">Your rating</h2>
        <p className="rating-given">
          <Stars value={given.rating} /> {given.rating} of 5 — {given.ratingWords}
        </p>
        {given.comment && <p className="entry-body">“{given.comment}”</p>}
        {canRate && (
          <p className="muted">
            You can change it until <When at={given.changeableUntil} />.{' '}
            <Button tone="ghost" onClick={() => setEditing(true)}>
              Change my rating
            </Button>
          </p>
        )}
      </section>
    );
  }
  return (
    <section className="card rating-card" aria-labelledby="rating-title">
      <h2 id="rating-title">How did we do?</h2>
      <form className="stack" onSubmit={submit}>
        <fieldset className="rating-scale">
          <legend>How well was your ticket handled?</legend>
          {SCALE.map((n) => (
            <label key={n} className={chosen === n ? 'rating-choice chosen' : 'rating-choice'}>
              <input type="radio" name={`rating-${ticketId}`} value={n} checked={chosen === n} onChange={() => setRating(n)} />
              <span className="rating-number">{n}</span>
              <span className="rating-words">{RATING_WORDS[n]}</span>
            </label>
          ))}
        </fieldset>
        {save.fieldError('rating') && <p className="field-error">{save.fieldError('rating')}</p>}
        <Field label="Anything you would like to tell us? (optional)" error={save.fieldError('comment')}>
          {(props) => (
            <textarea {...props} maxLength={2000} value={comment ?? given?.comment ?? ''} onChange={(e) => setComment(e.target.value)} />
          )}
        </Field>
        {save.error && !save.hasFieldErrors ? <Banner tone="danger">{humanMessage(save.error)}</Banner> : null}
        <div className="row">
          <Button type="submit" tone="primary" busy={save.busy} disabled={chosen === null}>
            {given ? 'Save my rating' : 'Send my rating'}
          </Button>
          {given && (
            <Button tone="ghost" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          )}
        </div>
      </form>
    </section>
  );
}

function Stars({ value }: { value: number }) {
  return (
    <span className="rating-stars" aria-hidden="true">
      {'★'.repeat(value)}
      {'☆'.repeat(5 - value)}
    </span>
  );
}

/** The requester's rating as the desk sees it on the ticket. */
export function RatingShown({ ticketId }: { ticketId: string }) {
  const satisfaction = useQuery({ queryKey: keys.satisfaction(ticketId), queryFn: () => stormApi.satisfaction(ticketId) });
  const given = satisfaction.data?.rating;
  if (!given) return null;
  return (
    <section className="card rating-card" aria-labelledby="rating-shown-title">
      <h2 id="rating-shown-title">Requester’s rating</h2>
      <p className="rating-given">
        <Stars value={given.rating} /> {given.rating} of 5 — {given.ratingWords}
      </p>
      {given.comment && <p className="entry-body">“{given.comment}”</p>}
      <p className="muted">
        Rated <When at={given.answeredAt} />
        {given.changedAt !== given.answeredAt && (
          <>
            , changed <When at={given.changedAt} />
          </>
        )}
      </p>
    </section>
  );
}
