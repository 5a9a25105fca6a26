import type { z } from 'zod';
import type { SavedView } from '../../../../core/contracts/saved-views.js';
import type { SavedViewRow } from '../../repositories/saved-views.repository.js';

export function presentSavedView(v: SavedViewRow): z.input<typeof SavedView> {
  return { id: v.id, name: v.name, queue: v.queue, filters: v.filters, createdAt: v.createdAt.toISOString() };
}
