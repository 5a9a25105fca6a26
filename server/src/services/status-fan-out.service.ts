import { componentsAffectedBy } from '../../../core/status-page.js';
import { announcementText, firstNoticeDueAt, firstNoticeStillNews, isPublicIncident } from '../../../core/status-subscriptions.js';
import type { AnnouncementKind, SubscriberAnnouncement } from '../../../core/ticket-follow-ups.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import { scheduleJobs } from '../jobs/schedule.js';
import { statusDeliverJob } from '../jobs/specs/status-deliver.job-spec.js';
import { statusFanOutJob } from '../jobs/specs/status-fan-out.job-spec.js';
import { listDependencyEdges, listServices } from '../repositories/catalog.repository.js';
import { hasPublicDeskCommentFrom, listPublicComponents } from '../repositories/status-page.repository.js';
import {
  findPublicComment,
  insertAnnouncement,
  insertDeliveries,
  type StatusAnnouncementRow,
} from '../repositories/status-subscriptions.repository.js';
import { findTicketById, type TicketRow } from '../repositories/tickets.repository.js';
import type { TimelineEventRow } from '../repositories/timeline.repository.js';
import type { ServiceDeps } from './deps.js';
import { getStatusPageSettings } from './status-page.service.js';

/** Delivery jobs are written this many to a statement (PostgreSQL allows 65,535 parameters). */
const JOB_CHUNK = 2_000;

/**
 * The ticket-change pipeline's follow-up: one fan-out job per piece of news, in the change's
 * transaction. Cheap on purpose (a row per announcement): finding who hears of it, which may be
 * thousands, happens in the job, not in the desk's request.
 */
export async function scheduleSubscriberAnnouncements(
  tx: Tx,
  ticket: TicketRow,
  events: TimelineEventRow[],
  announcements: SubscriberAnnouncement[],
  now: Date,
): Promise<void> {
  // The automatic first notice waits for the desk's own first update (see firstNoticeStillNews).
  const startsAt = announcements.some((a) => a.what === 'started')
    ? firstNoticeDueAt(now, (await getStatusPageSettings(tx)).firstNoticeDelayMinutes)
    : now;
  await scheduleJobs(
    tx,
    statusFanOutJob,
    announcements.map((a) => ({
      payload: { ticketId: ticket.id, eventId: events[a.eventIndex].id, what: a.what },
      runAt: a.what === 'started' ? startsAt : now,
    })),
    now,
  );
}

/**
 * The fan-out job: fixes the words of the news once (an announcement), then writes one delivery
 * per confirmed subscriber of the affected public components and a delivery job for each, all in
 * one transaction. Run again (a crash before the job was marked done), it finds the announcement
 * and the deliveries already there and adds nothing: each subscriber gets each piece of news once.
 * The automatic first notice runs after its wait and says nothing when it is no longer news.
 * Returns how many deliveries it wrote.
 */
export async function fanOutAnnouncement(
  deps: ServiceDeps,
  news: { ticketId: string; eventId: number; what: AnnouncementKind },
): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const ticket = await findTicketById(tx, news.ticketId);
    if (!ticket) return 0;
    if (news.what === 'started') {
      const stillNews = firstNoticeStillNews({
        publicIncident: isPublicIncident(ticket),
        open: OPEN_STATES.includes(ticket.state),
        deskPostedSince: await hasPublicDeskCommentFrom(tx, ticket.id, news.eventId),
      });
      if (!stillNews) return 0;
    }
    // One connection in a transaction: one query at a time.
    const components = await listPublicComponents(tx);
    const edges = await listDependencyEdges(tx);
    const services = await listServices(tx);
    const settings = await getStatusPageSettings(tx);
    const affected = ticket.serviceId
      ? componentsAffectedBy(
          ticket.serviceId,
          edges,
          services.map((s) => ({ id: s.id, parentId: s.parentId })),
        )
      : new Set<string>();
    // The page shows only public components: news on nothing public is nobody's news.
    const shown = components.filter((c) => affected.has(c.id));
    if (shown.length === 0) return 0;
    const comment = news.what === 'update' ? await findPublicComment(tx, news.eventId) : null;
    const text = announcementText({
      pageName: settings.name,
      what: news.what,
      incident: { number: ticket.number, title: ticket.title, resolutionNotes: ticket.resolutionNotes },
      comment: comment?.body ?? null,
      stage: comment?.stage ?? null,
      componentNames: shown.map((c) => c.name),
    });
    const announcement = await insertAnnouncement(tx, {
      ticketId: ticket.id,
      key: `${news.eventId}:${news.what}`,
      kind: news.what,
      subject: text.subject,
      bodyText: text.body,
      componentIds: shown.map((c) => c.id),
      createdAt: now,
    });
    return queueDeliveries(tx, announcement, now);
  });
}

/**
 * One delivery per confirmed subscriber who hears of the announcement's components, and a
 * delivery job for each, in the caller's transaction (incident news and planned maintenance
 * alike). Idempotent: run again, it adds nothing. Returns how many deliveries it wrote.
 */
export async function queueDeliveries(tx: Tx, announcement: StatusAnnouncementRow, now: Date): Promise<number> {
  const deliveryIds = await insertDeliveries(tx, announcement, now);
  for (let i = 0; i < deliveryIds.length; i += JOB_CHUNK) {
    await scheduleJobs(
      tx,
      statusDeliverJob,
      deliveryIds.slice(i, i + JOB_CHUNK).map((deliveryId) => ({ payload: { deliveryId }, runAt: now })),
      now,
    );
  }
  return deliveryIds.length;
}
