import type { Level, Priority } from './vocabulary.js';

/**
 * The priority matrix: impact × urgency → priority. Stored as a 3×3 table indexed by
 * [impact - 1][urgency - 1] so it serialises as plain JSON and an admin can edit it.
 */
export type PriorityMatrix = [[Priority, Priority, Priority], [Priority, Priority, Priority], [Priority, Priority, Priority]];

/** The ITIL matrix used by ServiceNow's defaults. */
export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = [
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
];

export function derivePriority(matrix: PriorityMatrix, impact: Level, urgency: Level): Priority {
  return matrix[impact - 1][urgency - 1];
}

/**
 * A matrix is sane when priority never gets *more* urgent as impact or urgency gets lower.
 * An admin can still make it flatter (e.g. everything P3); we only refuse inversions, which
 * are always typing mistakes and would silently reorder every queue.
 */
export function findMatrixInversions(matrix: PriorityMatrix): string[] {
  const problems: string[] = [];
  for (let i = 0; i < 3; i++) {
    for (let u = 0; u < 3; u++) {
      const here = matrix[i][u];
      if (i < 2 && matrix[i + 1][u] < here) {
        problems.push(
          `impact ${i + 2} / urgency ${u + 1} is more urgent (P${matrix[i + 1][u]}) than impact ${i + 1} / urgency ${u + 1} (P${here})`,
        );
      }
      if (u < 2 && matrix[i][u + 1] < here) {
        problems.push(
          `impact ${i + 1} / urgency ${u + 2} is more urgent (P${matrix[i][u + 1]}) than impact ${i + 1} / urgency ${u + 1} (P${here})`,
        );
      }
    }
  }
  return problems;
}
