import type { z } from 'zod';
import type { SatisfactionRating, SatisfactionRatingListed } from '../../../../core/contracts/storms.js';
import { changeableUntil, RATING_MAX, RATING_MIN, RATING_WORDS } from '../../../../core/satisfaction.js';
import type { SatisfactionRow } from '../../repositories/satisfaction.repository.js';

export function presentRating(r: SatisfactionRow): z.input<typeof SatisfactionRating> {
  return {
    ticketId: r.ticketId,
    rating: r.rating,
    ratingWords: RATING_WORDS[r.rating] ?? String(r.rating),
    comment: r.comment,
    answeredAt: r.answeredAt.toISOString(),
    changedAt: r.changedAt.toISOString(),
    changeableUntil: changeableUntil(r.answeredAt).toISOString(),
    version: r.version,
  };
}

export function presentListedRating(r: {
  rating: SatisfactionRow;
  number: string;
  title: string;
}): z.input<typeof SatisfactionRatingListed> {
  return { ...presentRating(r.rating), ticketNumber: r.number, ticketTitle: r.title };
}

/** The page behind the "rate the handling" link of the mail: small HTML, every text escaped, works without scripts. */
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function htmlPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Firebreak</title><style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1c2430}fieldset{border:0;padding:0;margin:1rem 0}legend{font-weight:600;margin-bottom:.5rem}.scale{display:flex;flex-wrap:wrap;gap:.5rem}.scale label{display:flex;flex-direction:column;align-items:center;gap:.2rem;border:1px solid #c5ccd6;border-radius:.5rem;padding:.5rem .7rem;min-width:4.2rem;cursor:pointer}.scale input{width:1.2rem;height:1.2rem}textarea{width:100%;box-sizing:border-box;min-height:6rem;font:inherit;padding:.5rem}button{font-size:1.05rem;padding:.6rem 1.4rem;margin-top:1rem;background:#1f5fbf;color:#fff;border:0;border-radius:.4rem}.note{color:#4a5566}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export const rateLinkNotValidPage = () =>
  htmlPage('This link does not work', '<p>It is not valid or has expired. You can rate the ticket in the portal instead.</p>');

export function rateFormPage(
  ticket: { number: string; title: string; state: string },
  current: { rating: number; comment: string } | null,
  token: string,
  options: { canRate: boolean; reason?: string },
): string {
  const about = `<p><strong>${escapeHtml(ticket.number)}</strong>: ${escapeHtml(ticket.title)}</p>`;
  if (!options.canRate) {
    const given = current
      ? `<p>Your rating: ${current.rating} of ${RATING_MAX} — ${escapeHtml(RATING_WORDS[current.rating] ?? '')}.</p>`
      : '';
    return htmlPage('Thank you', `${about}${given}<p class="note">${escapeHtml(options.reason ?? '')}</p>`);
  }
  const choices = Array.from({ length: RATING_MAX - RATING_MIN + 1 }, (_, i) => RATING_MIN + i)
    .map(
      (n) =>
        `<label><input type="radio" name="rating" value="${n}" required${current?.rating === n ? ' checked' : ''}><span>${n}</span><span class="note">${escapeHtml(RATING_WORDS[n])}</span></label>`,
    )
    .join('');
  return htmlPage(
    current ? 'Change your rating' : 'How did we do?',
    `${about}<form method="post" action="/api/v1/satisfaction/rate"><input type="hidden" name="token" value="${escapeHtml(token)}"><fieldset><legend>How well was your ticket handled?</legend><div class="scale">${choices}</div></fieldset><label for="comment">Anything you would like to tell us? (optional)</label><textarea id="comment" name="comment" maxlength="2000">${escapeHtml(current?.comment ?? '')}</textarea><button type="submit">${current ? 'Save my rating' : 'Send my rating'}</button></form>`,
  );
}

export const ratedPage = (ticket: { number: string; title: string }, rating: number) =>
  htmlPage(
    'Thank you',
    `<p><strong>${escapeHtml(ticket.number)}</strong>: ${escapeHtml(ticket.title)}</p><p>You rated the handling ${rating} of ${RATING_MAX} — ${escapeHtml(RATING_WORDS[rating] ?? '')}. You can change it from this link for 7 days after your first answer.</p>`,
  );

export const notRatedPage = (message: string) => htmlPage('Your rating was not saved', `<p>${escapeHtml(message)}</p>`);
