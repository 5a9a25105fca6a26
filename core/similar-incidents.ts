/**
 * Similar past incidents (issue 17, item 8): which resolved tickets read most like this one.
 *
 * The method: each ticket's title and description become a TF-IDF vector of word unigrams and
 * bigrams (the router's tokeniser and hash, `core/routing/features.ts`; sublinear term frequency
 * 1 + ln tf; smoothed IDF ln((1 + n) / (1 + df)) + 1 learned from the candidates themselves;
 * L2-normalised). Two tickets' text similarity is the cosine of their vectors, in [0, 1]. The
 * score adds a bonus for the same service:
 *
 *   score = (1 − SERVICE_BONUS) · cosine + SERVICE_BONUS · [same service]
 *
 * so it stays in [0, 1], and an exact duplicate (same words, same service) scores 1. A
 * candidate whose text shares nothing with the ticket (cosine below MIN_TEXT_SIMILARITY) is never
 * listed, whatever its service: "same service" alone is not "similar". Pure: no I/O.
 */
import { hashString, tokenize } from './routing/features.js';

/** How much the same service adds, out of a score of 1. */
export const SERVICE_BONUS = 0.15;
/** Below this text cosine a candidate is not similar at all. */
export const MIN_TEXT_SIMILARITY = 0.05;
/** How many similar tickets are shown. */
export const SIMILAR_LIMIT = 5;

export interface SimilarityDocument {
  id: string;
  title: string;
  description: string;
  serviceId: string | null;
}

export interface SimilarMatch {
  id: string;
  /** In [0, 1]; 1 is an exact duplicate of the same service. */
  score: number;
  /** The text cosine alone, in [0, 1]. */
  textSimilarity: number;
}

/** A term's counts in one text: hashed word unigrams and bigrams. */
function termCounts(text: string): Map<number, number> {
  const tokens = tokenize(text);
  const counts = new Map<number, number>();
  for (let i = 0; i < tokens.length; i++) {
    const unigram = hashString(tokens[i]);
    counts.set(unigram, (counts.get(unigram) ?? 0) + 1);
    if (i + 1 < tokens.length) {
      // A different seed keeps the bigram "a b" apart from any unigram.
      const bigram = hashString(tokens[i + 1], hashString(tokens[i], 0x9747b28c));
      counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
    }
  }
  return counts;
}

/** The words a ticket is compared by: its title, then its description. */
export function similarityText(doc: { title: string; description: string }): string {
  return `${doc.title}\n${doc.description}`;
}

interface Posting {
  doc: number;
  weight: number;
}

/** The candidates, vectorised once, with an inverted index so a query touches only shared terms. */
export interface SimilarityIndex {
  documents: readonly SimilarityDocument[];
  idf: (term: number) => number;
  postings: Map<number, Posting[]>;
}

function weighted(counts: Map<number, number>, idf: (term: number) => number): Map<number, number> {
  const vector = new Map<number, number>();
  let norm = 0;
  for (const [term, tf] of counts) {
    const w = (1 + Math.log(tf)) * idf(term);
    vector.set(term, w);
    norm += w * w;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [term, w] of vector) vector.set(term, w * scale);
  return vector;
}

export function buildSimilarityIndex(documents: readonly SimilarityDocument[]): SimilarityIndex {
  const counts = documents.map((d) => termCounts(similarityText(d)));
  const df = new Map<number, number>();
  for (const c of counts) for (const term of c.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = documents.length;
  const idf = (term: number) => Math.log((1 + n) / (1 + (df.get(term) ?? 0))) + 1;
  const postings = new Map<number, Posting[]>();
  counts.forEach((c, doc) => {
    for (const [term, weight] of weighted(c, idf)) {
      let list = postings.get(term);
      if (!list) {
        list = [];
        postings.set(term, list);
      }
      list.push({ doc, weight });
    }
  });
  return { documents, idf, postings };
}

/**
 * The `limit` candidates of the index most similar to `ticket`, best first (ties by id, so the
 * order is stable). Never the ticket itself (same id), never one sharing no words.
 */
export function querySimilar(index: SimilarityIndex, ticket: SimilarityDocument, limit = SIMILAR_LIMIT): SimilarMatch[] {
  const query = weighted(termCounts(similarityText(ticket)), index.idf);
  const cosines = new Map<number, number>();
  for (const [term, weight] of query) {
    for (const p of index.postings.get(term) ?? []) cosines.set(p.doc, (cosines.get(p.doc) ?? 0) + weight * p.weight);
  }
  const matches: SimilarMatch[] = [];
  for (const [doc, raw] of cosines) {
    const candidate = index.documents[doc];
    if (candidate.id === ticket.id) continue;
    // Rounding can carry a cosine of identical vectors a hair past 1.
    const textSimilarity = Math.min(1, Math.max(0, raw));
    if (textSimilarity < MIN_TEXT_SIMILARITY) continue;
    const same = ticket.serviceId !== null && candidate.serviceId === ticket.serviceId ? 1 : 0;
    matches.push({ id: candidate.id, textSimilarity, score: (1 - SERVICE_BONUS) * textSimilarity + SERVICE_BONUS * same });
  }
  matches.sort((a, b) => b.score - a.score || b.textSimilarity - a.textSimilarity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return matches.slice(0, limit);
}

/** The top `limit` of `candidates` for `ticket`, with scores. */
export function rankSimilar(ticket: SimilarityDocument, candidates: readonly SimilarityDocument[], limit = SIMILAR_LIMIT): SimilarMatch[] {
  return querySimilar(buildSimilarityIndex(candidates), ticket, limit);
}

/**
 * The words a database narrows candidates by before ranking: the ticket's distinct words of
 * three letters or more, title first, longest first within each part (longer words are rarer
 * and say more), at most `max`. Letters and digits only, so none carries query syntax.
 */
export function retrievalTerms(doc: { title: string; description: string }, max = 12): string[] {
  const pick = (text: string) =>
    [...new Set(tokenize(text).filter((w) => w.length >= 3 && w.length <= 40))].sort((a, b) => b.length - a.length);
  const terms = [...new Set([...pick(doc.title), ...pick(doc.description)])];
  return terms.slice(0, max);
}

/**
 * A word in more than this share of tickets narrows nothing: it matches most of the desk, and the
 * ranking gives it almost no weight anyway. Narrowing by it made the database read (and re-rank)
 * nearly every ticket — 2.3 s at 100,000 tickets (bench/similar.ts).
 */
export const COMMON_TERM_SHARE = 0.05;

/**
 * About how many tickets the narrowing may read. Reading a match costs a visit to its row (the
 * index does not hold its state or date), so the matches read — not the words — set the
 * latency: a word held by 6,700 of 100,000 tickets cost 130 ms of a 240 ms call under load
 * (bench/similar.ts). The rarest words are also the ones the ranking weighs most (IDF).
 */
export const NARROWING_BUDGET = 1_500;

/**
 * What the database narrows candidates by, as groups of words (a ticket matches a group holding
 * all its words, and the narrowing is any group), given the share of tickets holding each word
 * and the number of tickets (the database's statistics; a word missing from them counts as rare):
 *
 * - the selective words (at most COMMON_TERM_SHARE each), rarest first, while the tickets they
 *   match add up to at most `budget`: each word its own group;
 * - when even the rarest word matches more than `budget` tickets (or is common), tickets holding
 *   it AND one of the next rarest words, pairs added while they fit (the first always): a
 *   smaller set, and one sharing two words with the ticket.
 *
 * Without statistics every word is rare and each is its own group (the earlier narrowing).
 */
export function narrowingGroups(
  terms: readonly string[],
  shareOf: ReadonlyMap<string, number>,
  tickets: number,
  budget = NARROWING_BUDGET,
): string[][] {
  if (terms.length === 0) return [];
  const share = (t: string) => shareOf.get(t) ?? 0;
  const matched = (s: number) => s * Math.max(0, tickets);
  const rarestFirst = [...terms].sort((a, b) => share(a) - share(b));
  const groups: string[][] = [];
  let spent = 0;
  for (const t of rarestFirst) {
    if (share(t) > COMMON_TERM_SHARE || spent + matched(share(t)) > budget) continue;
    groups.push([t]);
    spent += matched(share(t));
  }
  if (groups.length > 0) return groups;
  const [rarest, ...rest] = rarestFirst;
  if (rest.length === 0) return [[rarest]];
  for (const t of rest) {
    // Words of one ticket are not independent, but the product is what the statistics offer.
    const cost = matched(share(rarest) * share(t));
    if (groups.length > 0 && spent + cost > budget) continue;
    groups.push([rarest, t]);
    spent += cost;
  }
  return groups;
}

/** Precision@k of a ranking: the share of queries whose top k include one of the same label. */
export function precisionAtK(hits: readonly boolean[]): number {
  return hits.length === 0 ? 0 : hits.filter(Boolean).length / hits.length;
}
