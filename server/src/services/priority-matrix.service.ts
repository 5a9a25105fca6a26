import { AppError } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import { DEFAULT_PRIORITY_MATRIX, findMatrixInversions, type PriorityMatrix } from '../../../core/priority.js';
import type { Db } from '../db/client.js';
import { readSetting, writeSetting } from '../repositories/settings.repository.js';
import { type ConfigCache, changingConfig, readConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';

const KEY = 'priority_matrix';

export async function getPriorityMatrix(db: Db, cache?: ConfigCache): Promise<PriorityMatrix> {
  return readConfig(cache, 'settings', KEY, async () => (await readSetting<PriorityMatrix>(db, KEY)) ?? DEFAULT_PRIORITY_MATRIX);
}

/** Changes apply to tickets created or re-prioritised from now on; existing priorities stay. */
export async function setPriorityMatrix(deps: ServiceDeps, _actor: Actor, matrix: PriorityMatrix): Promise<PriorityMatrix> {
  const inversions = findMatrixInversions(matrix);
  if (inversions.length > 0) {
    throw new AppError('unprocessable', `The matrix has inversions: ${inversions.join('; ')}`, {
      errors: inversions.map((message) => ({ field: 'matrix', message })),
    });
  }
  await changingConfig(deps.configCache, 'settings', () => writeSetting(deps.db, KEY, matrix, deps.clock.now()));
  return matrix;
}
