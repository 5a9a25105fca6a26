/**
 * Knowledge base rules (issue 17 items 6–7): article states and audiences, who may read what,
 * and how a person's search text becomes a safe full-text query. Pure: no I/O.
 */
import { type Actor, isStaff } from './permissions.js';

export const ARTICLE_STATES = ['draft', 'published', 'retired'] as const;
export type ArticleState = (typeof ARTICLE_STATES)[number];

export const ARTICLE_AUDIENCES = ['everyone', 'staff'] as const;
export type ArticleAudience = (typeof ARTICLE_AUDIENCES)[number];

export const ARTICLE_STATE_LABELS: Record<ArticleState, string> = { draft: 'Draft', published: 'Published', retired: 'Retired' };
export const ARTICLE_AUDIENCE_LABELS: Record<ArticleAudience, string> = { everyone: 'Everyone', staff: 'Staff only' };

/** draft → published → retired; a retired article may be published again, a published one sent back to draft. */
const MOVES: Record<ArticleState, ArticleState[]> = {
  draft: ['published'],
  published: ['retired', 'draft'],
  retired: ['published'],
};

/** Why the move is refused, in words, or null when it is allowed. */
export function articleMoveProblem(from: ArticleState, to: ArticleState): string | null {
  if (from === to) return `it is already ${ARTICLE_STATE_LABELS[to].toLowerCase()}`;
  if (MOVES[from].includes(to)) return null;
  return `a ${ARTICLE_STATE_LABELS[from].toLowerCase()} article cannot become ${ARTICLE_STATE_LABELS[to].toLowerCase()}`;
}

/** Staff read every article; everyone else only published articles meant for everyone. */
export function canReadArticle(actor: Actor, article: { state: ArticleState; audience: ArticleAudience }): boolean {
  if (isStaff(actor)) return true;
  return article.state === 'published' && article.audience === 'everyone';
}

/** Longest search text looked at, and most words used: a pasted novel still costs one small query. */
export const SEARCH_TEXT_LIMIT = 500;
export const SEARCH_WORD_LIMIT = 12;

/**
 * The words of a search text: letters and digits only (so no user text reaches the tsquery
 * syntax: `!`, `&`, `|`, `:*`, quotes and parentheses are separators), lower-cased, unique,
 * at most SEARCH_WORD_LIMIT of them from the first SEARCH_TEXT_LIMIT characters, each at most
 * 40 characters long.
 */
export function searchWords(text: string): string[] {
  const words = text
    .slice(0, SEARCH_TEXT_LIMIT)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && w.length <= 40);
  return [...new Set(words)].slice(0, SEARCH_WORD_LIMIT);
}

/** The markers ts_headline puts around matches: private-use characters nobody types. */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

export interface HighlightPart {
  text: string;
  match: boolean;
}

/** Splits a headline with match markers into plain parts: the browser shows them as text, never as HTML. */
export function highlightParts(headline: string): HighlightPart[] {
  const parts: HighlightPart[] = [];
  const pattern = new RegExp(`${MATCH_START}([^${MATCH_END}]*)${MATCH_END}`, 'g');
  let last = 0;
  for (const m of headline.matchAll(pattern)) {
    if (m.index > last) parts.push({ text: strip(headline.slice(last, m.index)), match: false });
    parts.push({ text: strip(m[1]), match: true });
    last = m.index + m[0].length;
  }
  if (last < headline.length) parts.push({ text: strip(headline.slice(last)), match: false });
  return parts.filter((p) => p.text.length > 0);
}

const strip = (s: string) => s.replaceAll(MATCH_START, '').replaceAll(MATCH_END, '');

/** The draft an agent starts from a resolved ticket: its title and resolution notes. */
export function articleFromResolution(ticket: { number: string; title: string; resolutionNotes: string | null; description: string }): {
  title: string;
  body: string;
} {
  const notes = ticket.resolutionNotes?.trim() || '_No resolution notes were recorded._';
  const problem = ticket.description.trim();
  return {
    title: ticket.title.slice(0, 200),
    body: `## Problem\n\n${problem || ticket.title}\n\n## Resolution\n\n${notes}\n\n_Written from ${ticket.number}._\n`.slice(0, 100_000),
  };
}

/**
 * An excerpt of an article's Markdown read as text: link targets, emphasis marks, heading and
 * list markers dropped ("Choose **Renew** [here](https://x)" → "Choose Renew here").
 */
export function markdownAsText(text: string): string {
  return text
    .replace(/\]\([^)\s]*\)/g, '')
    .replace(/\*\*|__|~~|`/g, '')
    .replace(/(^|\s)#{1,6}\s+/g, '$1')
    .replace(/(^|\n)\s*[-*+>]\s/g, '$1')
    .replace(/[[\]]/g, '');
}
