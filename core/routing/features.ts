/**
 * Text → sparse TF-IDF vector, the router's features (issue 18, item 5).
 *
 * Two blocks, as the reference linear SVM uses: word 1–2-grams (what a ticket is about) and
 * character 2–5-grams (robust to typos, inflections and joined words like "pwd reset"). Features
 * are hashed into a fixed number of buckets ("the hashing trick") so memory is bounded whatever
 * the vocabulary, and no vocabulary has to be stored with the model. Each block gets sublinear
 * term frequency (1 + ln tf, so a word repeated ten times does not drown the rest), smoothed IDF
 * learned from the training set, and its own L2 normalisation, so neither block dominates.
 */

export interface FeatureOptions {
  /** log2 of the buckets for word n-grams. */
  wordBits: number;
  /** log2 of the buckets for character n-grams. */
  charBits: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { wordBits: 16, charBits: 18 };

/** A sparse vector: sorted, distinct indices with their values. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** Lower case, letters and digits only; everything else separates words. */
export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKC')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** FNV-1a over UTF-16 code units: fast, stable across runs and platforms. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Final mixing (MurmurHash3's fmix32), so nearby hashes land in unrelated buckets. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The hashed raw counts of a text: word 1–2-grams in [0, 2^wordBits), character 2–5-grams of
 * the normalised text (words joined and padded by one space) after them. Sorted indices.
 */
export function countFeatures(text: string, options: FeatureOptions): SparseVector {
  const tokens = tokenize(text);
  const counts = new Map<number, number>();
  const add = (index: number) => counts.set(index, (counts.get(index) ?? 0) + 1);
  const wordMask = (1 << options.wordBits) - 1;
  for (let i = 0; i < tokens.length; i++) {
    add(mix(hashString(tokens[i])) & wordMask);
    // A different seed keeps the bigram "a b" apart from the unigrams.
    if (i + 1 < tokens.length) add(mix(hashString(tokens[i + 1], hashString(tokens[i], 0x9747b28c))) & wordMask);
  }
  const offset = 1 << options.wordBits;
  const charMask = (1 << options.charBits) - 1;
  const chars = ` ${tokens.join(' ')} `;
  // One FNV pass from each start grows the 2-, 3-, 4- and 5-gram without slicing strings; the
  // length is mixed in so "ab" and "abc" cannot share a hash by construction.
  for (let i = 0; i + 2 <= chars.length; i++) {
    let h = 0x811c9dc5;
    for (let n = 1; n <= 5 && i + n <= chars.length; n++) {
      h = Math.imul(h ^ chars.charCodeAt(i + n - 1), 0x01000193);
      if (n >= 2) add(offset + (mix(h ^ Math.imul(n, 0x9e3779b1)) & charMask));
    }
  }
  const indices = Uint32Array.from(counts.keys()).sort();
  const values = new Float32Array(indices.length);
  for (let k = 0; k < indices.length; k++) values[k] = counts.get(indices[k]) ?? 0;
  return { indices, values };
}

export function dimensionOf(options: FeatureOptions): number {
  return (1 << options.wordBits) + (1 << options.charBits);
}

/**
 * Smoothed IDF as scikit-learn computes it: ln((1 + n) / (1 + df)) + 1, so a feature seen in
 * every document still counts a little and an unseen one gets the largest weight.
 */
export function fitIdf(documents: readonly SparseVector[], dimension: number): Float32Array {
  const df = new Uint32Array(dimension);
  for (const doc of documents) for (const index of doc.indices) df[index]++;
  const n = documents.length;
  const idf = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) idf[i] = Math.log((1 + n) / (1 + df[i])) + 1;
  return idf;
}

/** Sublinear TF × IDF of raw counts, the word and the character block each L2-normalised. */
export function vectorize(counts: SparseVector, idf: Float32Array, options: FeatureOptions): SparseVector {
  const { indices } = counts;
  const values = new Float32Array(indices.length);
  const charStart = 1 << options.wordBits;
  let split = 0;
  while (split < indices.length && indices[split] < charStart) split++;
  for (const [from, to] of [
    [0, split],
    [split, indices.length],
  ]) {
    let norm = 0;
    for (let k = from; k < to; k++) {
      const v = (1 + Math.log(counts.values[k])) * idf[indices[k]];
      values[k] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = from; k < to; k++) values[k] *= scale;
  }
  return { indices, values };
}
