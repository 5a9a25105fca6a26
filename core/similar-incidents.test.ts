import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { narrowingGroups, rankSimilar, retrievalTerms, SERVICE_BONUS, type SimilarityDocument } from './similar-incidents.js';
import { evaluateSimilarity } from './similar-incidents-evaluation.js';

const words = [
  'vpn',
  'certificate',
  'error',
  'printer',
  'jammed',
  'password',
  'reset',
  'outlook',
  'crash',
  'disk',
  'full',
  'payroll',
  'login',
  'slow',
  'wifi',
];
const text = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 12 }).map((w) => w.join(' '));
const service = fc.constantFrom<string | null>(null, 's1', 's2');
const doc = (id: string) =>
  fc.record({ title: text, description: text, serviceId: service }).map((d): SimilarityDocument => ({ id, ...d }));
const candidates = fc
  .array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 25 })
  .chain((ids) => fc.tuple(...[...new Set(ids)].map((n) => doc(`c${n}`))));

describe('similar incidents: TF-IDF cosine with a same-service bonus', () => {
  it("ranks a ticket's exact duplicate first (score 1, or 1 less the bonus when it names no service)", () => {
    fc.assert(
      fc.property(doc('t'), candidates, (ticket, others) => {
        const duplicate = { ...ticket, id: 'dup' };
        const ranked = rankSimilar(ticket, [...others, duplicate]);
        expect(ranked[0].score).toBeCloseTo(ticket.serviceId === null ? 1 - SERVICE_BONUS : 1, 6);
        // Ties only with other exact duplicates of it.
        const first = ranked.filter((m) => m.score >= ranked[0].score - 1e-9).map((m) => m.id);
        expect(first).toContain('dup');
      }),
    );
  });

  it('keeps scores in [0, 1], best first, at most five, never the ticket itself', () => {
    fc.assert(
      fc.property(doc('t'), candidates, fc.boolean(), (ticket, others, includeSelf) => {
        const ranked = rankSimilar(ticket, includeSelf ? [...others, ticket] : others);
        expect(ranked.length).toBeLessThanOrEqual(5);
        expect(ranked.map((m) => m.id)).not.toContain('t');
        for (const m of ranked) {
          expect(m.score).toBeGreaterThanOrEqual(0);
          expect(m.score).toBeLessThanOrEqual(1);
          expect(m.textSimilarity).toBeGreaterThan(0);
        }
        for (let i = 1; i < ranked.length; i++) expect(ranked[i].score).toBeLessThanOrEqual(ranked[i - 1].score);
      }),
    );
  });

  it('prefers the same service when the words are equally close, and never lists a ticket for its service alone', () => {
    const ticket = { id: 't', title: 'VPN certificate error', description: 'cannot connect from home', serviceId: 'vpn' };
    const ranked = rankSimilar(ticket, [
      { id: 'other', title: 'VPN certificate error', description: 'cannot connect from home', serviceId: 'mail' },
      { id: 'same', title: 'VPN certificate error', description: 'cannot connect from home', serviceId: 'vpn' },
      { id: 'unrelated', title: 'Printer jammed', description: 'paper everywhere', serviceId: 'vpn' },
    ]);
    expect(ranked.map((m) => m.id)).toEqual(['same', 'other']);
    expect(ranked[0].score - ranked[1].score).toBeCloseTo(SERVICE_BONUS, 6);
  });

  it('narrows by words that carry no query syntax, title first', () => {
    expect(retrievalTerms({ title: "VPN: can't connect & (error)", description: 'certificate | expired!' })).toEqual([
      'connect',
      'error',
      'vpn',
      'can',
      'certificate',
      'expired',
    ]);
  });
});

describe('narrowing by the rarest words, within a budget of tickets read', () => {
  const shares = new Map([
    ['colleagues', 0.99],
    ['restarting', 0.99],
    ['leeds', 0.16],
    ['printer', 0.066],
    ['crashing', 0.1],
    ['toner', 0.004],
    ['jammed', 0.01],
  ]);

  it('drops words most tickets hold; a word the statistics do not list counts as rare', () => {
    expect(narrowingGroups(['printer', 'jammed', 'colleagues', 'tray', 'restarting'], shares, 10_000, 1_500)).toEqual([
      ['tray'],
      ['jammed'],
    ]);
  });

  it('takes the rarest words first while the tickets they match fit the budget', () => {
    // 40 + 100 tickets fit 1,500; 'printer' (660) would too, but it is common (over 5 %).
    expect(narrowingGroups(['printer', 'jammed', 'toner'], shares, 10_000, 1_500)).toEqual([['toner'], ['jammed']]);
    // At 100,000 tickets 'jammed' alone is 1,000: with 'toner' (400) still within 1,500; a third rare word is not.
    expect(narrowingGroups(['jammed', 'toner'], shares, 100_000, 1_500)).toEqual([['toner'], ['jammed']]);
    expect(narrowingGroups(['jammed', 'toner'], shares, 100_000, 1_000)).toEqual([['toner']]);
  });

  it('pairs the rarest word with the next ones when even it matches too many, the first pair always', () => {
    // 'printer' alone is 6,600 of 100,000 tickets: with 'crashing' 660, with 'leeds' 1,056 more — over 1,500.
    expect(narrowingGroups(['colleagues', 'crashing', 'printer', 'leeds'], shares, 100_000, 1_500)).toEqual([['printer', 'crashing']]);
    expect(narrowingGroups(['colleagues', 'crashing', 'printer', 'leeds'], shares, 100_000, 2_000)).toEqual([
      ['printer', 'crashing'],
      ['printer', 'leeds'],
    ]);
    expect(narrowingGroups(['colleagues', 'restarting'], shares, 100_000, 10)).toEqual([['colleagues', 'restarting']]);
    expect(narrowingGroups(['colleagues'], shares, 100_000, 10)).toEqual([['colleagues']]);
    expect(narrowingGroups([], shares, 100_000)).toEqual([]);
  });

  it('keeps every word without statistics (a new desk, or an embedded database never analysed)', () => {
    expect(narrowingGroups(['colleagues', 'printer'], new Map(), 0)).toEqual([['colleagues'], ['printer']]);
  });

  it('never narrows by more than the budget once a word fits, and always by something when there are words', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z]{3,8}$/), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 12 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        (pairs, tickets, budget) => {
          const shareOf = new Map(pairs);
          const terms = [...shareOf.keys()];
          const groups = narrowingGroups(terms, shareOf, tickets, budget);
          expect(groups.length > 0).toBe(terms.length > 0);
          for (const g of groups) for (const t of g) expect(terms).toContain(t);
          if (groups.every((g) => g.length === 1) && groups.length > 1) {
            const read = groups.reduce((sum, [t]) => sum + (shareOf.get(t) ?? 0) * tickets, 0);
            expect(read).toBeLessThanOrEqual(budget + 1e-6);
          }
        },
      ),
      {
        examples: [
          [[['printer', 0.066]], 100_000, 1_500],
          [[], 10, 10],
        ],
      },
    );
  });
});

describe('quality on real tickets (the 4,000-ticket sample, core/routing/fixtures/README.md)', () => {
  it('finds a ticket of the same topic in the top five far more often than chance', () => {
    const rows = parse(readFileSync(new URL('./routing/fixtures/it-tickets-sample.csv', import.meta.url)), { columns: true }) as {
      Document: string;
      Topic_group: string;
    }[];
    const quality = evaluateSimilarity(
      rows.map((r) => ({ text: r.Document, label: r.Topic_group })),
      400,
    );
    console.log(
      `similar incidents, precision@5 on ${quality.sample} held-out of ${quality.corpus} tickets: ` +
        `TF-IDF cosine ${(quality.method * 100).toFixed(1)} %, same words ${(quality.sameWords * 100).toFixed(1)} %, random ${(quality.random * 100).toFixed(1)} %`,
    );
    expect(quality.sample).toBe(400);
    expect(quality.method).toBeGreaterThan(quality.random + 0.15);
    expect(quality.method).toBeGreaterThanOrEqual(0.8);
  });
});
