/**
 * Seeded randomness for the router: training shuffles and splits must be the same on every run
 * with the same seed, so a model and its evaluation can be reproduced (and tested) exactly.
 */

/** mulberry32: a tiny, fast 32-bit generator; plenty for shuffling, not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates, in place. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}

/**
 * Splits indices 0..labels.length-1 so that each label keeps its share in both parts (a small
 * team is not left out of the evaluation by chance). Each label with at least two examples puts
 * at least one in each part.
 */
export function stratifiedSplit(labels: readonly number[], heldOutShare: number, seed: number): { train: number[]; heldOut: number[] } {
  const random = seededRandom(seed);
  const byLabel = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const list = byLabel.get(label);
    if (list) list.push(i);
    else byLabel.set(label, [i]);
  });
  const train: number[] = [];
  const heldOut: number[] = [];
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    const list = shuffleInPlace(byLabel.get(label) ?? [], random);
    let n = Math.round(list.length * heldOutShare);
    if (list.length >= 2) n = Math.min(Math.max(n, 1), list.length - 1);
    else n = 0;
    heldOut.push(...list.slice(0, n));
    train.push(...list.slice(n));
  }
  // Sorted so the order depends on the seed only through which rows landed where.
  return { train: train.sort((a, b) => a - b), heldOut: heldOut.sort((a, b) => a - b) };
}
