/**
 * How good "similar incidents" is, on labelled tickets (issue 17, "Tests and figures"): for a
 * held-out sample, the share whose top five among all the other tickets include one of the same
 * topic (precision@5), beside two baselines run on the same sample — five tickets drawn at
 * random, and "same words" (the most distinct words in common, no weighting). Pure and seeded.
 */

import { tokenize } from './routing/features.js';
import { seededRandom, shuffleInPlace } from './routing/random.js';
import { buildSimilarityIndex, precisionAtK, querySimilar, type SimilarityDocument } from './similar-incidents.js';

export interface LabelledTicket {
  text: string;
  label: string;
}

export interface SimilarityQuality {
  sample: number;
  corpus: number;
  /** TF-IDF cosine (the method). */
  method: number;
  /** Five others at random. */
  random: number;
  /** The five others sharing the most distinct words. */
  sameWords: number;
}

/**
 * The held-out tickets (their indexes) a quality figure asks about: a seeded shuffle's first
 * `sampleSize`. The first draws of `random`, so `evaluateSimilarity` with the same seed asks
 * about the same tickets — how the database path's figure is set beside the pure ranking's.
 */
export function heldOutSample(corpus: number, sampleSize: number, random: () => number): number[] {
  return shuffleInPlace(
    Array.from({ length: corpus }, (_, i) => i),
    random,
  ).slice(0, Math.min(sampleSize, corpus));
}

export function evaluateSimilarity(tickets: readonly LabelledTicket[], sampleSize: number, seed = 17, k = 5): SimilarityQuality {
  const docs: SimilarityDocument[] = tickets.map((t, i) => ({ id: String(i), title: '', description: t.text, serviceId: null }));
  const random = seededRandom(seed);
  const sample = heldOutSample(docs.length, sampleSize, random);

  const index = buildSimilarityIndex(docs);
  const wordPostings = new Map<string, number[]>();
  const words = tickets.map((t) => [...new Set(tokenize(t.text))]);
  words.forEach((ws, doc) => {
    for (const w of ws) {
      let list = wordPostings.get(w);
      if (!list) {
        list = [];
        wordPostings.set(w, list);
      }
      list.push(doc);
    }
  });

  const method: boolean[] = [];
  const randomHits: boolean[] = [];
  const sameWords: boolean[] = [];
  const shared = new Uint32Array(docs.length);
  for (const q of sample) {
    const label = tickets[q].label;
    method.push(querySimilar(index, docs[q], k).some((m) => tickets[Number(m.id)].label === label));

    const picks = new Set<number>();
    while (picks.size < Math.min(k, docs.length - 1)) {
      const j = Math.floor(random() * docs.length);
      if (j !== q) picks.add(j);
    }
    randomHits.push([...picks].some((j) => tickets[j].label === label));

    shared.fill(0);
    for (const w of words[q]) for (const d of wordPostings.get(w) ?? []) shared[d]++;
    shared[q] = 0;
    const top = [...shared.keys()].filter((d) => shared[d] > 0 && d !== q);
    top.sort((a, b) => shared[b] - shared[a] || a - b);
    sameWords.push(top.slice(0, k).some((j) => tickets[j].label === label));
  }
  return {
    sample: sample.length,
    corpus: docs.length,
    method: precisionAtK(method),
    random: precisionAtK(randomHits),
    sameWords: precisionAtK(sameWords),
  };
}
