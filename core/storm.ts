import type { Edge } from './service-graph.js';

/**
 * Storm detection (issue 14, item 2): many reports and alerts about one thing in a short time
 * mean one incident, not many. Pure rules: the sliding window, which services a storm covers,
 * which service to name, how similar two reports' words are, and the sentence the desk reads.
 */

export interface StormSettings {
  /** Length of the sliding window. */
  windowMinutes: number;
  /** Reports + alerts inside the window at which a proposal is raised. */
  threshold: number;
  /** Trigram similarity (0–1) at which two report titles are "the same complaint". */
  similarity: number;
}

export const DEFAULT_STORM_SETTINGS: StormSettings = { windowMinutes: 10, threshold: 5, similarity: 0.3 };

/**
 * The window ending at `now` holds the instants t with now − window < t ≤ now: an instant exactly
 * one window old has left it, one at `now` is in it.
 */
export function inWindow(t: number, now: number, windowMs: number): boolean {
  return t > now - windowMs && t <= now;
}

export function countInWindow(instants: readonly number[], now: number, windowMs: number): number {
  let n = 0;
  for (const t of instants) if (inWindow(t, now, windowMs)) n++;
  return n;
}

/**
 * The first instant at which a window ending there holds `threshold` instants, or null. Only
 * arrivals can raise the count, so the answer is always one of the instants.
 */
export function firstCrossing(instants: readonly number[], windowMs: number, threshold: number): number | null {
  if (threshold < 1) return null;
  const sorted = [...instants].sort((a, b) => a - b);
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (!inWindow(sorted[start], sorted[end], windowMs)) start++;
    // Several arrivals at the same instant all count at that instant.
    let last = end;
    while (last + 1 < sorted.length && sorted[last + 1] === sorted[end]) last++;
    if (last - start + 1 >= threshold) return sorted[end];
    end = last;
  }
  return null;
}

interface ServiceNode {
  id: string;
  parentId: string | null;
}

/**
 * The services whose reports count toward a storm on `serviceId`: the service, the services it
 * is a component of, and everything that depends on any of those (transitively) — where an
 * outage of `serviceId` is felt.
 */
export function stormScope(edges: readonly Edge[], services: readonly ServiceNode[], serviceId: string): string[] {
  const parentOf = new Map(services.map((s) => [s.id, s.parentId]));
  const dependents = new Map<string, string[]>();
  for (const e of edges) dependents.set(e.dependsOnId, [...(dependents.get(e.dependsOnId) ?? []), e.serviceId]);
  const result = new Set<string>([serviceId]);
  const queue = [serviceId];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    const parent = parentOf.get(current);
    for (const next of [...(parent ? [parent] : []), ...(dependents.get(current) ?? [])]) {
      if (!result.has(next)) {
        result.add(next);
        queue.push(next);
      }
    }
  }
  return [...result];
}

/**
 * The services a report on `serviceId` may be a symptom of: the storms it can count toward are
 * those whose scope holds it (the service, its components, what it depends on, transitively).
 */
export function stormCandidates(edges: readonly Edge[], services: readonly ServiceNode[], serviceId: string): string[] {
  return services.map((s) => s.id).filter((id) => stormScope(edges, services, id).includes(serviceId));
}

export interface CandidateCount {
  serviceId: string;
  /** Reports and alerts inside the window on the candidate's scope. */
  count: number;
  /** How many services its scope holds: smaller is more specific. */
  scopeSize: number;
}

/** The share of the largest count a more specific service must explain to be named instead. */
export const SPECIFIC_SHARE = 0.8;

/**
 * Which service to name for a storm: among candidates at or above the threshold, the most
 * specific one (smallest scope) that holds at least 80% of the largest count — so a storm on VPN
 * is not named after the network everything depends on just because the network's scope also
 * holds some unrelated noise, yet a real network outage (reports everywhere) is. Ties: the
 * larger count, then the id, so the choice never depends on the order of the list.
 */
export function chooseStormRoot(candidates: readonly CandidateCount[], threshold: number): CandidateCount | null {
  const above = candidates.filter((c) => c.count >= threshold);
  if (above.length === 0) return null;
  const max = Math.max(...above.map((c) => c.count));
  const explaining = above.filter((c) => c.count >= SPECIFIC_SHARE * max);
  explaining.sort((a, b) => a.scopeSize - b.scopeSize || b.count - a.count || (a.serviceId < b.serviceId ? -1 : 1));
  return explaining[0];
}

/**
 * Trigrams as PostgreSQL's pg_trgm makes them: lower-cased words of letters and digits, each
 * padded with two spaces before and one after, every three consecutive characters, as a set.
 * `trigramSimilarity` is pg_trgm's `similarity()` — shared / (|a| + |b| − shared) — so the rule
 * measured here is the one the database would apply (checked against it on both engines).
 */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
}

export function trigramSimilarity(a: string | Set<string>, b: string | Set<string>): number {
  const ta = typeof a === 'string' ? trigrams(a) : a;
  const tb = typeof b === 'string' ? trigrams(b) : b;
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

/**
 * Words that say nothing about *what* broke: English function words and the desk's filler
 * ("not working", "please help", "since this morning"). Paraphrases of one outage share the
 * thing's name, rarely these.
 */
const FILLER = new Set(
  (
    'a an the is are was were be been am i im we our my me you your it its this that these those to of in on at for from with ' +
    'and or but not no nor cannot can cant t won don doesn isn unable able any anything all again still very since keeps keep ' +
    'anymore please hi hello dear thanks thank regards help issue issues problem problems error errors working work works down ' +
    'broken fails failed failing fail when then there here get got has have had do does did will would could should just also ' +
    'some new one via using use after before today morning now pm every whole team office anyone anywhere nothing what why how'
  ).split(' '),
);

/** A report's key words: its words without filler or bare numbers, in order. */
export function keyWords(text: string): string {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !FILLER.has(w) && !/^\d+$/.test(w)).join(' ');
}

/** How alike two reports' words are: pg_trgm similarity of their key words (0–1). */
export function reportSimilarity(a: string, b: string): number {
  return trigramSimilarity(keyWords(a), keyWords(b));
}

/**
 * Groups texts that "belong together", in arrival order: a text joins the group holding the one
 * earlier text it is most similar to, if that similarity reaches `threshold`, and otherwise
 * starts a group. Returns a group number per text (the index of the group's first text).
 */
export function groupBySimilarity(texts: readonly string[], threshold: number): number[] {
  const grams = texts.map((t) => trigrams(keyWords(t)));
  const group: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    let best = -1;
    let bestSimilarity = 0;
    for (let j = 0; j < i; j++) {
      const s = trigramSimilarity(grams[i], grams[j]);
      if (s > bestSimilarity) {
        bestSimilarity = s;
        best = j;
      }
    }
    group.push(best >= 0 && bestSimilarity >= threshold ? group[best] : i);
  }
  return group;
}

/**
 * Precision and recall of "these two belong together", over every pair with at least one
 * labelled text (`truth` null: a background ticket of real, unlabelled data — two of those may
 * well be about the same thing, so their pairs are not judged).
 */
export function pairScores(predicted: readonly number[], truth: readonly (string | null)[]): { precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < predicted.length; i++) {
    for (let j = i + 1; j < predicted.length; j++) {
      if (truth[i] === null && truth[j] === null) continue;
      const together = predicted[i] === predicted[j];
      const really = truth[i] !== null && truth[i] === truth[j];
      if (together && really) tp++;
      else if (together) fp++;
      else if (really) fn++;
    }
  }
  return { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the desk reads on a proposal. */
export function proposalHeadline(p: {
  reports: number;
  alerts: number;
  serviceName: string | null;
  /** Whether the storm's scope holds more than the service itself. */
  widerScope: boolean;
  /** A report's title, for a storm of similar words on no service. */
  sampleTitle: string | null;
  spanMs: number;
}): string {
  const counts =
    p.alerts > 0
      ? `${plural(p.reports, 'report', 'reports')} and ${plural(p.alerts, 'alert', 'alerts')}`
      : plural(p.reports, 'report', 'reports');
  const where = p.serviceName
    ? `on ${p.serviceName}${p.widerScope ? ' (and services that depend on it)' : ''}`
    : `like “${p.sampleTitle ?? ''}”`;
  const minutes = Math.max(1, Math.round(p.spanMs / 60_000));
  return `${counts} ${where} in ${plural(minutes, 'minute', 'minutes')} — declare a major incident?`;
}
