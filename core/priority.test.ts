import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIORITY_MATRIX, derivePriority, findMatrixInversions, type PriorityMatrix } from './priority.js';
import { LEVELS, PRIORITIES } from './vocabulary.js';

describe('the priority matrix', () => {
  it('is the ITIL matrix by default', () => {
    const cases: [number, number, number][] = [
      [1, 1, 1],
      [1, 2, 2],
      [2, 1, 2],
      [1, 3, 3],
      [2, 2, 3],
      [3, 1, 3],
      [2, 3, 4],
      [3, 2, 4],
      [3, 3, 5],
    ];
    for (const [impact, urgency, priority] of cases) {
      expect(derivePriority(DEFAULT_PRIORITY_MATRIX, impact as 1, urgency as 1)).toBe(priority);
    }
  });

  it('accepts every monotone matrix, and derives priorities that never get more urgent as impact or urgency drops', () => {
    const level = fc.constantFrom(...LEVELS);
    // Any 3×3 grid, closed so each cell is at least as high as its upper and left neighbours.
    const monotone = fc.array(fc.constantFrom(...PRIORITIES), { minLength: 9, maxLength: 9 }).map((cells) => {
      const m = [0, 1, 2].map((i) => cells.slice(i * 3, i * 3 + 3));
      for (let i = 0; i < 3; i++)
        for (let u = 0; u < 3; u++) m[i][u] = Math.max(m[i][u], i > 0 ? m[i - 1][u] : 1, u > 0 ? m[i][u - 1] : 1) as 1;
      return m as unknown as PriorityMatrix;
    });
    fc.assert(
      fc.property(monotone, level, level, (m, impact, urgency) => {
        expect(findMatrixInversions(m)).toEqual([]);
        if (impact < 3) expect(derivePriority(m, (impact + 1) as 1, urgency)).toBeGreaterThanOrEqual(derivePriority(m, impact, urgency));
        if (urgency < 3) expect(derivePriority(m, impact, (urgency + 1) as 1)).toBeGreaterThanOrEqual(derivePriority(m, impact, urgency));
      }),
    );
  });

  it('reports an inversion for any matrix where a lower impact or urgency is more urgent', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PRIORITIES), { minLength: 9, maxLength: 9 }), (cells) => {
        const m = [0, 1, 2].map((i) => cells.slice(i * 3, i * 3 + 3)) as unknown as PriorityMatrix;
        const inverted = [0, 1, 2].some((i) => [0, 1, 2].some((u) => (i < 2 && m[i + 1][u] < m[i][u]) || (u < 2 && m[i][u + 1] < m[i][u])));
        expect(findMatrixInversions(m).length > 0).toBe(inverted);
      }),
    );
  });

  it('names an inversion in words an admin understands', () => {
    const inverted: PriorityMatrix = [
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 1],
    ];
    expect(findMatrixInversions(inverted)).toContain('impact 3 / urgency 3 is more urgent (P1) than impact 3 / urgency 2 (P4)');
    expect(findMatrixInversions(DEFAULT_PRIORITY_MATRIX)).toEqual([]);
  });
});
