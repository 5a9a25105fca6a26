import type { z } from 'zod';
import { MAX_SAVED_VIEWS, type SaveView } from '../../../core/contracts/saved-views.js';
import { AppError, notFound } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import { deleteSavedView, listSavedViews, upsertSavedView } from '../repositories/saved-views.repository.js';
import type { ServiceDeps } from './deps.js';

/** Each person's saved queue views: only ever their own. */
export function mySavedViews(deps: ServiceDeps, actor: Actor) {
  return listSavedViews(deps.db, actor.id);
}

export async function saveMyView(deps: ServiceDeps, actor: Actor, input: z.infer<typeof SaveView>) {
  return deps.db.transaction(async (tx) => {
    const existing = await listSavedViews(tx, actor.id);
    if (!existing.some((v) => v.name === input.name) && existing.length >= MAX_SAVED_VIEWS) {
      throw new AppError('unprocessable', `You already have ${MAX_SAVED_VIEWS} saved views; remove one first.`);
    }
    return upsertSavedView(tx, {
      userId: actor.id,
      name: input.name,
      queue: input.queue,
      filters: input.filters,
      createdAt: deps.clock.now(),
    });
  });
}

export async function removeMyView(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  if (!(await deleteSavedView(deps.db, actor.id, id))) throw notFound('saved view');
}
