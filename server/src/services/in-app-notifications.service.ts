import { keysetCursor, keysetPage, SEQUENCE } from '../../../core/cursors.js';
import type { PageState } from '../../../core/paging.js';
import type { Actor } from '../../../core/permissions.js';
import type { Db } from '../db/client.js';
import { countUnreadInApp, listInAppNotifications, markInAppRead, type NotificationRow } from '../repositories/notifications.repository.js';
import type { ServiceDeps } from './deps.js';
import { pageStates } from './page-views.service.js';

/** The bell pages by insertion number, newest first. */
const bellCursor = keysetCursor('decimal', [SEQUENCE], 'must be the nextCursor of the previous page');

/**
 * The bell: a person's in-app notifications, newest first, a page at a time (the cursor is the
 * last row's insertion number, so new rows arriving meanwhile never shift a page), with the
 * unread count.
 */
export async function listMyNotifications(
  db: Db,
  actor: Actor,
  query: { cursor?: string; limit: number },
): Promise<{ items: NotificationRow[]; nextCursor: string | null; unread: number; pageStates: Map<string, PageState> }> {
  const beforeSeq = query.cursor ? bellCursor.decode(query.cursor)[0] : null;
  const rows = await listInAppNotifications(db, actor.id, beforeSeq, query.limit + 1);
  const { items, nextCursor } = keysetPage(rows, query.limit, bellCursor, (n) => [n.seq] as [number]);
  const pageIds = items.flatMap((n) => (n.reason === 'paged' && typeof n.payload?.pageId === 'string' ? [n.payload.pageId] : []));
  return {
    pageStates: await pageStates(db, pageIds),
    items,
    nextCursor,
    unread: await countUnreadInApp(db, actor.id),
  };
}

/** Marks the given notifications (only the caller's own) or all of them read. */
export async function markMyNotificationsRead(
  deps: ServiceDeps,
  actor: Actor,
  input: { ids: string[] } | { all: true },
): Promise<{ marked: number; unread: number }> {
  const marked = await markInAppRead(deps.db, actor.id, 'ids' in input ? input.ids : null, deps.clock.now());
  return { marked, unread: await countUnreadInApp(deps.db, actor.id) };
}
