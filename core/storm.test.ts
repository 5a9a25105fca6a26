import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseStormRoot,
  countInWindow,
  DEFAULT_STORM_SETTINGS,
  firstCrossing,
  groupBySimilarity,
  inWindow,
  pairScores,
  proposalHeadline,
  stormCandidates,
  stormScope,
  trigramSimilarity,
} from './storm.js';

const MINUTE = 60_000;

describe('the sliding window', () => {
  it('holds an instant at its end, not one exactly a window old', () => {
    expect(inWindow(1000, 1000, 100)).toBe(true);
    expect(inWindow(900, 1000, 100)).toBe(false);
    expect(inWindow(901, 1000, 100)).toBe(true);
    expect(inWindow(1001, 1000, 100)).toBe(false);
  });

  it('counts what a brute-force check counts, and never more as the window shrinks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 })),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        (ts, now, w) => {
          const n = countInWindow(ts, now, w);
          expect(n).toBe(ts.filter((t) => now - t < w && t <= now).length);
          expect(countInWindow(ts, now, Math.max(1, w - 1))).toBeLessThanOrEqual(n);
        },
      ),
    );
  });

  it('finds the first instant a window reaches the threshold: the window there holds enough, and no earlier instant does (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2_000 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 6 }),
        (ts, w, k) => {
          const at = firstCrossing(ts, w, k);
          const enough = (now: number) => countInWindow(ts, now, w) >= k;
          if (at === null) {
            for (const t of ts) expect(enough(t)).toBe(false);
          } else {
            expect(ts).toContain(at);
            expect(enough(at)).toBe(true);
            for (const t of ts) if (t < at) expect(enough(t)).toBe(false);
          }
        },
      ),
    );
  });

  it('counts arrivals at the same instant together, and one just outside the window not at all', () => {
    expect(firstCrossing([0, 10 * MINUTE, 10 * MINUTE], 10 * MINUTE, 3)).toBeNull();
    expect(firstCrossing([1, 10 * MINUTE, 10 * MINUTE], 10 * MINUTE, 3)).toBe(10 * MINUTE);
  });
});

// VPN has a component (the concentrator); remote desktop and the intranet depend on VPN;
// the intranet depends on the network too; e-mail depends on the network only.
const services = [
  { id: 'network', parentId: null },
  { id: 'vpn', parentId: null },
  { id: 'concentrator', parentId: 'vpn' },
  { id: 'remote', parentId: null },
  { id: 'intranet', parentId: null },
  { id: 'email', parentId: null },
];
const edges = [
  { serviceId: 'remote', dependsOnId: 'vpn' },
  { serviceId: 'intranet', dependsOnId: 'vpn' },
  { serviceId: 'vpn', dependsOnId: 'network' },
  { serviceId: 'email', dependsOnId: 'network' },
];

describe('which services a storm covers', () => {
  it('a storm on a component covers what it is part of and everything that depends on either', () => {
    expect(stormScope(edges, services, 'concentrator').sort()).toEqual(['concentrator', 'intranet', 'remote', 'vpn']);
    expect(stormScope(edges, services, 'vpn').sort()).toEqual(['intranet', 'remote', 'vpn']);
    expect(stormScope(edges, services, 'email')).toEqual(['email']);
  });

  it('a report counts toward exactly the storms whose scope holds its service (property over random graphs)', () => {
    const graph = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 })), { maxLength: 12 })
      .map((pairs) => pairs.filter(([a, b]) => a < b).map(([a, b]) => ({ serviceId: `s${a}`, dependsOnId: `s${b}` })));
    const nodes = Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, parentId: i > 0 && i % 3 === 0 ? `s${i - 1}` : null }));
    fc.assert(
      fc.property(graph, fc.integer({ min: 0, max: 7 }), (g, i) => {
        const candidates = stormCandidates(g, nodes, `s${i}`);
        expect(candidates).toContain(`s${i}`);
        for (const n of nodes) expect(candidates.includes(n.id)).toBe(stormScope(g, nodes, n.id).includes(`s${i}`));
      }),
    );
  });

  it('names the most specific service that explains the storm, not the network behind everything', () => {
    const root = chooseStormRoot(
      [
        { serviceId: 'network', count: 14, scopeSize: 6 },
        { serviceId: 'vpn', count: 12, scopeSize: 3 },
        { serviceId: 'remote', count: 2, scopeSize: 1 },
      ],
      5,
    );
    expect(root?.serviceId).toBe('vpn');
    // Reports everywhere: the network is what broke.
    expect(
      chooseStormRoot(
        [
          { serviceId: 'network', count: 30, scopeSize: 6 },
          { serviceId: 'vpn', count: 12, scopeSize: 3 },
        ],
        5,
      )?.serviceId,
    ).toBe('network');
    expect(chooseStormRoot([{ serviceId: 'vpn', count: 4, scopeSize: 3 }], 5)).toBeNull();
  });

  it('chooses a root at the threshold holding most of the largest count, whatever the order (property)', () => {
    const candidate = fc.record({
      serviceId: fc.constantFrom('a', 'b', 'c', 'd'),
      count: fc.integer({ min: 0, max: 50 }),
      scopeSize: fc.integer({ min: 1, max: 9 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(candidate, { selector: (c) => c.serviceId }), fc.integer({ min: 1, max: 20 }), (cs, k) => {
        const root = chooseStormRoot(cs, k);
        const max = Math.max(0, ...cs.map((c) => c.count));
        if (max < k) {
          expect(root).toBeNull();
          return;
        }
        expect(root?.count).toBeGreaterThanOrEqual(k);
        expect(root?.count).toBeGreaterThanOrEqual(0.8 * max);
        expect(chooseStormRoot([...cs].reverse(), k)).toEqual(root);
      }),
    );
  });
});

describe('similar words', () => {
  it('is pg_trgm similarity: symmetric, 1 for the same words, 0 for no shared trigram (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(trigramSimilarity(a, b)).toBeCloseTo(trigramSimilarity(b, a), 10);
        const s = trigramSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }),
    );
    expect(trigramSimilarity('VPN down', 'vpn DOWN')).toBe(1);
    expect(trigramSimilarity('word', 'words')).toBeGreaterThan(0.5);
    expect(trigramSimilarity('abc', 'xyz')).toBe(0);
  });

  it('groups a text with its most similar predecessor, and is deterministic (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('vpn down', 'vpn broken again', 'printer jam', 'payroll blank page', 'printer offline'), {
          maxLength: 12,
        }),
        (texts) => {
          const g = groupBySimilarity(texts, 0.3);
          expect(groupBySimilarity(texts, 0.3)).toEqual(g);
          texts.forEach((t, i) => {
            expect(g[i]).toBeLessThanOrEqual(i);
            const first = texts.indexOf(t);
            expect(g[i]).toBe(g[first]); // identical words always belong together
          });
        },
      ),
    );
  });

  it('measures "these belong together" on a labelled set: paraphrased storms among real background tickets', () => {
    // Storms: paraphrases written for this test. Background: 400 real help-desk tickets (the
    // first eight words of Endava's anonymised tickets, CC0 — see core/fixtures/storm/README.md).
    const storms = JSON.parse(readFileSync(new URL('./fixtures/storm/storms.json', import.meta.url), 'utf8')) as Record<string, string[]>;
    const background = JSON.parse(readFileSync(new URL('./fixtures/storm/background.json', import.meta.url), 'utf8')) as {
      title: string;
    }[];
    const items: { text: string; storm: string | null }[] = [
      ...Object.entries(storms).flatMap(([storm, texts]) => texts.map((text) => ({ text, storm }))),
      ...background.map((b) => ({ text: b.title, storm: null })),
    ];
    // Interleaved as they would arrive (a fixed shuffle).
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const arrived = items
      .map((item) => ({ item, key: next() }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.item);
    const groups = groupBySimilarity(
      arrived.map((i) => i.text),
      DEFAULT_STORM_SETTINGS.similarity,
    );
    const { precision, recall } = pairScores(
      groups,
      arrived.map((i) => i.storm),
    );
    console.log(
      `storm similarity (key-word trigram, threshold ${DEFAULT_STORM_SETTINGS.similarity}) on ${Object.values(storms).flat().length} storm reports in ${Object.keys(storms).length} storms + ${background.length} background tickets: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.5);
    expect(recall).toBeGreaterThanOrEqual(0.25);
  });
});

describe('the proposal headline', () => {
  it('says what the desk sees, in words', () => {
    expect(proposalHeadline({ reports: 11, alerts: 2, serviceName: 'VPN', widerScope: true, sampleTitle: null, spanMs: 5 * MINUTE })).toBe(
      '11 reports and 2 alerts on VPN (and services that depend on it) in 5 minutes — declare a major incident?',
    );
    expect(proposalHeadline({ reports: 1, alerts: 0, serviceName: null, widerScope: false, sampleTitle: 'VPN down', spanMs: 10_000 })).toBe(
      '1 report like “VPN down” in 1 minute — declare a major incident?',
    );
  });
});
