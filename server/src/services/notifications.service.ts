import { slackMessageText } from '../../../core/chat-text.js';
import { channelsFor, type NotificationReason, recipientsFor } from '../../../core/notification-rules.js';
import { type Actor, canSeeWebhookUrls } from '../../../core/permissions.js';
import { hasRoleAtLeast } from '../../../core/vocabulary.js';
import type { Mailer, OutgoingMail } from '../adapters/mailer.js';
import { OutboundRefusedError } from '../adapters/outbound-guard.js';
import { TargetBusyError, type WebhookSender } from '../adapters/webhook-sender.js';
import type { Db, Tx } from '../db/client.js';
import { DeferredJobError, HeldJobError, PermanentJobError } from '../jobs/errors.js';
import { scheduleJob, scheduleJobs } from '../jobs/schedule.js';
import { deliverJob } from '../jobs/specs/notification-deliver.job-spec.js';
import { DIGEST_WINDOW_MS, digestJob } from '../jobs/specs/notification-digest.job-spec.js';
import { listFollowerIds } from '../repositories/followers.repository.js';
import {
  findNotificationsForDelivery,
  insertNotifications,
  listDeliveries,
  listUnsentEmails,
  markNotificationsSent,
  type NotificationRow,
} from '../repositories/notifications.repository.js';
import { findTeamById, listMemberIds } from '../repositories/teams.repository.js';
import type { TicketRow } from '../repositories/tickets.repository.js';
import type { TimelineEventRow } from '../repositories/timeline.repository.js';
import { findUsersByIds } from '../repositories/users.repository.js';
import { listActiveWebhooks, type WebhookRow } from '../repositories/webhooks.repository.js';
import { type ConfigCache, readConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';
import { invitationIcs, type MeetingInvitation } from './meeting-invitation.js';
import { pageAckUrl, rateTicketUrl } from './signed-links.service.js';
import { getTicketView } from './ticket-query.service.js';

const HEADLINES: Record<NotificationReason, string> = {
  reply_from_desk: 'The service desk replied',
  reply_from_requester: 'The requester replied',
  waiting_for_you: 'We need something from you',
  resolved: 'Resolved: please confirm the fix or reopen',
  assigned_to_you: 'Assigned to you',
  sla_warning: 'SLA target running short',
  sla_breached: 'SLA target breached',
  escalated_to_you: 'Escalated to you',
  paged: 'You are paged',
  followed_update: 'An update on a problem you follow',
  followed_resolved: 'A problem you follow is resolved',
  role_assigned_to_you: 'You have a role in a major incident',
  role_paged: 'You are paged for a role in a major incident',
  task_overdue: 'A response task is overdue',
  meeting_invitation: 'You are invited to an incident meeting',
  moved_to_incident: 'Now handled as an incident',
  rate_handling: 'How did we do? Rate how your ticket was handled',
  storm_proposed: 'A storm of reports: declare a major incident?',
  update_due: 'A stakeholder update is due now',
  update_overdue: 'A stakeholder update is overdue',
  stakeholder_update: 'An update on an incident',
  action_item_due: 'An action item of yours is due',
  automation_notice: 'An automation rule asks you to look',
};

/**
 * The outbox: called in the transaction that appended `events`, it writes one notification row
 * per person concerned and a delivery job for each, so a notification exists exactly when the
 * change committed. Costs no query when nobody is concerned.
 */
export async function enqueueNotifications(
  tx: Tx,
  ticket: TicketRow,
  events: TimelineEventRow[],
  now: Date,
  cache?: ConfigCache,
): Promise<void> {
  let teamManagerId: string | null | undefined;
  let teamMemberIds: string[] | undefined;
  const wanted: { event: TimelineEventRow; userId: string; reason: NotificationReason }[] = [];
  let followerIds: string[] | undefined;
  for (const event of events) {
    // Followers hear of the desk's public replies and of the resolution: look them up only then.
    if (followerIds === undefined && (event.type === 'comment' || event.type === 'state_changed' || event.type === 'promoted')) {
      followerIds = await listFollowerIds(tx, ticket.id);
    }
    // Only look the manager up for the events that may need them.
    if (teamManagerId === undefined && ['comment', 'sla_warning', 'sla_breached', 'escalated'].includes(event.type)) {
      teamManagerId = ticket.teamId ? ((await findTeamById(tx, ticket.teamId))?.managerId ?? null) : null;
    }
    if (teamMemberIds === undefined && event.type === 'sla_warning' && !ticket.assigneeId && ticket.teamId) {
      teamMemberIds = (await listMemberIds(tx, [ticket.teamId])).get(ticket.teamId) ?? [];
    }
    // Followers hear only the desk's words: who wrote a public comment decides.
    const actorIsStaff =
      event.type === 'comment' && followerIds && followerIds.length > 0 && event.actorId ? await isStaffMember(tx, event.actorId) : false;
    for (const r of recipientsFor(
      { ...event, actorIsStaff },
      {
        requesterId: ticket.requesterId,
        assigneeId: ticket.assigneeId,
        teamManagerId: teamManagerId ?? null,
        teamMemberIds,
        followerIds,
      },
    )) {
      wanted.push({ event, ...r });
    }
  }
  await enqueueWebhooks(tx, ticket, events, now, cache);
  if (wanted.length === 0) return;
  const people = new Map((await findUsersByIds(tx, [...new Set(wanted.map((w) => w.userId))])).map((u) => [u.id, u]));
  const rows = wanted.flatMap(({ event, userId, reason }) => {
    const person = people.get(userId);
    if (!person?.active) return [];
    const bodyText = [
      HEADLINES[reason],
      '',
      event.body ?? '',
      '',
      `${ticket.number}: ${ticket.title}`,
      `State: ${ticket.state.replace('_', ' ')}`,
    ]
      .join('\n')
      .replace(/\n{3,}/g, '\n\n');
    // A page's mail carries a link to acknowledge it, signed when the mail is sent.
    // A meeting's invitation carries what its iCalendar part is made of, when the mail is sent.
    const payload =
      reason === 'paged' && typeof event.data?.pageId === 'string'
        ? { pageId: event.data.pageId }
        : reason === 'meeting_invitation' && event.data?.invitation
          ? { invitation: event.data.invitation }
          : null;
    return channelsFor(person, reason).map((channel) =>
      channel === 'email'
        ? {
            ticketId: ticket.id,
            userId,
            channel,
            address: person.email,
            reason,
            payload,
            subject: `[${ticket.number}] ${HEADLINES[reason]}: ${ticket.title}`,
            bodyText,
            createdAt: now,
          }
        : {
            // In-app: delivered by being stored; the bell reads these rows.
            ticketId: ticket.id,
            userId,
            channel,
            address: '',
            reason,
            payload,
            subject: `${ticket.number} · ${HEADLINES[reason]}: ${ticket.title}`,
            bodyText: event.body ?? '',
            createdAt: now,
            sentAt: now,
          },
    );
  });
  const inserted = (await insertNotifications(tx, rows)).filter((n) => n.channel === 'email');
  await scheduleDeliveries(
    tx,
    inserted.filter((n) => !isDigested(n)),
    now,
  );
  // Requesters get one mail per burst of changes, not one per change.
  for (const n of inserted.filter(isDigested)) {
    const bucket = Math.floor(now.getTime() / DIGEST_WINDOW_MS);
    await scheduleJob(tx, digestJob, { ticketId: n.ticketId, userId: n.userId }, { runAt: new Date((bucket + 1) * DIGEST_WINDOW_MS), now });
  }
}

/** A mail that waits for its person's digest: one of the coalesced reasons, about a ticket, to a person (as every one of them is). */
function isDigested(n: NotificationRow): n is NotificationRow & { ticketId: string; userId: string } {
  return COALESCED.includes(n.reason as NotificationReason) && n.ticketId !== null && n.userId !== null;
}

async function isStaffMember(tx: Db, userId: string): Promise<boolean> {
  const [person] = await findUsersByIds(tx, [userId]);
  return person ? hasRoleAtLeast(person.role, 'agent') : false;
}

/**
 * What a requester hears about is gathered for up to two minutes and sent as one mail, so a desk
 * replying, holding and resolving in quick succession sends one message, not three. Staff
 * notifications (assignments, SLA, escalations) go out at once.
 */
const COALESCED: NotificationReason[] = [
  'reply_from_desk',
  'waiting_for_you',
  'resolved',
  'followed_update',
  'followed_resolved',
  'moved_to_incident',
];

/** A delivery job per notification, all in one statement. */
async function scheduleDeliveries(tx: Tx, notifications: { id: string }[], now: Date): Promise<void> {
  await scheduleJobs(
    tx,
    deliverJob,
    notifications.map((n) => ({ payload: { notificationId: n.id }, runAt: now })),
    now,
  );
}

/** Work notes stay inside unless a webhook asks for them by name. */
const DEFAULT_WEBHOOK_EXCLUDES = ['work_note'];

async function enqueueWebhooks(tx: Tx, ticket: TicketRow, events: TimelineEventRow[], now: Date, cache?: ConfigCache): Promise<void> {
  const hooks = await readConfig(cache, 'webhook_subscriptions', 'active_webhooks', () => listActiveWebhooks(tx));
  if (hooks.length === 0) return;
  const rows = hooks.flatMap((hook) => events.filter((e) => webhookWants(hook, e)).map((event) => webhookRowOf(hook, ticket, event, now)));
  await scheduleDeliveries(tx, await insertNotifications(tx, rows), now);
}

/** The events a webhook hears of: those it names, else all but work notes. */
function webhookWants(hook: WebhookRow, event: TimelineEventRow): boolean {
  return hook.eventTypes.length > 0 ? hook.eventTypes.includes(event.type) : !DEFAULT_WEBHOOK_EXCLUDES.includes(event.type);
}

/**
 * An automation rule's "send to a webhook" (issue 18): one delivery of the event to that webhook,
 * through the same outbox, job, signature, retries and outbound guard as every delivery. A
 * webhook that already hears of the event by its subscription got it from the change's own
 * notify follow-up, so it is not sent twice.
 */
export async function enqueueWebhookDelivery(
  tx: Tx,
  hook: WebhookRow,
  ticket: TicketRow,
  event: TimelineEventRow,
  now: Date,
): Promise<void> {
  if (!hook.active || webhookWants(hook, event)) return;
  await scheduleDeliveries(tx, await insertNotifications(tx, [webhookRowOf(hook, ticket, event, now)]), now);
}

function webhookRowOf(hook: WebhookRow, ticket: TicketRow, event: TimelineEventRow, now: Date) {
  const headline = `[${ticket.number}] ${ticket.title}: ${event.type.replace('_', ' ')}`;
  return {
    ticketId: ticket.id,
    webhookId: hook.id,
    channel: 'webhook' as const,
    address: hook.url,
    reason: event.type,
    subject: headline,
    bodyText: event.body ?? '',
    payload: {
      event: {
        id: event.id,
        type: event.type,
        at: event.at.toISOString(),
        actorId: event.actorId,
        body: event.body,
        changes: event.changes,
        data: event.data,
      },
      ticket: {
        id: ticket.id,
        number: ticket.number,
        title: ticket.title,
        state: ticket.state,
        priority: ticket.priority,
        teamId: ticket.teamId,
        assigneeId: ticket.assigneeId,
      },
    },
    createdAt: now,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * The delivery job. Sending is at least once: a crash between the SMTP server accepting the
 * mail and the row being marked sent means one more send on retry, never none.
 */
export interface DeliveryChannels {
  mailer: Mailer | null;
  webhooks: WebhookSender;
  messageIdDomain: string;
  publicUrl: string;
}

/**
 * Delivers the notifications of all delivery jobs a sweep claimed at once: one read for all of
 * them, the sends side by side, one write marking the sent ones. Answers per notification, in
 * order: null when done, or the error its send failed with — a failure fails its own job only
 * (retried later); one already sent (a job run again) is not sent twice.
 */
export async function deliverNotifications(
  deps: ServiceDeps,
  mail: DeliveryChannels,
  notificationIds: readonly string[],
): Promise<(Error | null)[]> {
  const found = await findNotificationsForDelivery(deps.db, [...notificationIds]);
  const sent: string[] = [];
  const outcomes = await Promise.all(
    notificationIds.map(async (id): Promise<Error | null> => {
      const row = found.get(id);
      if (!row || row.notification.sentAt) return null;
      try {
        await deliverOne(mail, deps, row.notification, row.webhook);
        sent.push(row.notification.id);
        return null;
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    }),
  );
  await markNotificationsSent(deps.db, sent, deps.clock.now());
  return outcomes;
}

async function deliverOne(
  mail: DeliveryChannels,
  deps: { db: Db; clock: { now(): Date } },
  notification: NotificationRow,
  webhook: WebhookRow | null,
): Promise<void> {
  if (notification.channel === 'webhook') return deliverWebhook(mail, notification, webhook);
  const ackUrl =
    notification.reason === 'paged' && typeof notification.payload?.pageId === 'string' && notification.userId
      ? await pageAckUrl(deps.db, mail.publicUrl, notification.payload.pageId, notification.userId, deps.clock.now())
      : null;
  // The "how did we do?" mail carries a signed link to the rating form, made when it is sent.
  const rateUrl =
    notification.reason === 'rate_handling' && notification.ticketId && notification.userId
      ? await rateTicketUrl(deps.db, mail.publicUrl, notification.ticketId, notification.userId, deps.clock.now())
      : null;
  await sendMail(mail, [notification], ackUrl, rateUrl);
}

/** The digest job: everything still unsent to this person about this ticket, in one mail. */
export async function sendDigest(deps: ServiceDeps, mail: DeliveryChannels, digest: { ticketId: string; userId: string }): Promise<void> {
  const pending = await listUnsentEmails(deps.db, digest.ticketId, digest.userId);
  if (pending.length === 0) return; // an earlier digest already took them
  await sendMail(mail, pending);
  await markNotificationsSent(
    deps.db,
    pending.map((n) => n.id),
    deps.clock.now(),
  );
}

/** One mail for one or several notifications to the same person about the same ticket. */
async function sendMail(
  mail: DeliveryChannels,
  notifications: NotificationRow[],
  ackUrl: string | null = null,
  rateUrl: string | null = null,
): Promise<void> {
  // E-mail out off is a way to run Firebreak, not a failure: the mail is held, marked "not sent"
  // in the ticket's delivery log, and can be sent once an admin turns e-mail on.
  if (!mail.mailer) throw new HeldJobError('not sent: e-mail out was off');
  const last = notifications[notifications.length - 1];
  // A page's mail opens the acknowledge-first view; others open the ticket.
  const pageId = ackUrl && typeof last.payload?.pageId === 'string' ? last.payload.pageId : null;
  const link = pageId
    ? `${mail.publicUrl}/desk/pages/${pageId}`
    : last.ticketId
      ? `${mail.publicUrl}/tickets/${last.ticketId}`
      : mail.publicUrl;
  const bodyText = notifications.map((n) => n.bodyText).join('\n\n---\n\n');
  const ack = ackUrl
    ? { text: `Acknowledge this page: ${ackUrl}\n\n`, html: `<p><a href="${escapeHtml(ackUrl)}">Acknowledge this page</a></p>` }
    : rateUrl
      ? {
          text: `Rate the handling (1 to 5), with a comment if you like: ${rateUrl}\n\n`,
          html: `<p><a href="${escapeHtml(rateUrl)}">Rate the handling (1 to 5)</a></p>`,
        }
      : null;
  // A mail that brings its own HTML and files (a scheduled report: services/saved-reports.service.ts), sent as written.
  const own = ownContentOf(last);
  await mail.mailer.send({
    to: last.address,
    subject:
      notifications.length === 1
        ? last.subject
        : `${last.subject} (+${notifications.length - 1} more ${notifications.length === 2 ? 'update' : 'updates'})`,
    text: `${bodyText}\n\n${ack?.text ?? ''}${link}\n`,
    html:
      own?.html ??
      `<div style="font-family:sans-serif;white-space:pre-wrap">${escapeHtml(bodyText)}</div>${ack?.html ?? ''}<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
    ...(own?.attachments.length ? { attachments: own.attachments } : {}),
    messageId: `<${last.id}@${mail.messageIdDomain}>`,
    ...(last.payload?.invitation
      ? {
          icalEvent: {
            method: 'REQUEST',
            content: invitationIcs(
              last.payload.invitation as MeetingInvitation,
              { email: last.address, name: last.address },
              `no-reply@${mail.messageIdDomain}`,
              last.createdAt,
            ),
          },
        }
      : {}),
    // Every mail about one ticket refers to the same root, so mail clients thread them.
    references: last.ticketId ? [`<ticket-${last.ticketId}@${mail.messageIdDomain}>`] : [],
  });
}

/** The HTML and attachments a notification carries in its payload (`html`, `attachments`), if any. */
function ownContentOf(n: NotificationRow): { html: string; attachments: NonNullable<OutgoingMail['attachments']> } | null {
  const html = n.payload?.html;
  if (n.channel !== 'email' || typeof html !== 'string') return null;
  const attachments = Array.isArray(n.payload?.attachments) ? (n.payload.attachments as NonNullable<OutgoingMail['attachments']>) : [];
  return { html, attachments };
}

/** How soon a delivery to a receiver that was busy is tried again. */
const BUSY_TARGET_RETRY_MS = 250;

async function deliverWebhook(channels: DeliveryChannels, notification: NotificationRow, hook: WebhookRow | null): Promise<void> {
  if (!hook?.active) return; // removed since: nothing to send, and nothing to retry
  const link = `${channels.publicUrl}/tickets/${notification.ticketId}`;
  // Titles and comments are people's words: in Slack's format they are escaped, never markup.
  const body =
    hook.format === 'slack'
      ? JSON.stringify({
          text: slackMessageText({ headline: notification.subject, body: notification.bodyText, link, linkLabel: 'Open in Firebreak' }),
        })
      : JSON.stringify({ ...notification.payload, url: link, deliveryId: notification.id });
  await channels.webhooks.post(hook.url, body, hook.secret).catch(asWebhookJobError);
}

/**
 * What a failed webhook post means for its job. A target on a private network stays refused
 * however often it is tried: parked with the reason at once (after allowing it with
 * FIREBREAK_ALLOW_PRIVATE_TARGETS an admin runs it again). A receiver already busy with its
 * share of deliveries: tried again shortly, the attempt not counted. Anything else is retried.
 */
export function asWebhookJobError(err: unknown): never {
  if (err instanceof OutboundRefusedError) throw new PermanentJobError(`not sent: ${err.message}`);
  if (err instanceof TargetBusyError) throw new DeferredJobError(`not sent yet: ${err.message}`, BUSY_TARGET_RETRY_MS);
  throw err;
}

/**
 * A ticket's delivery log for the desk: what was sent to whom, and what is retrying or dead. A
 * webhook is named by its name; only admins also see its URL (`address`), which for chat tools is
 * a secret.
 */
export async function getDeliveryLog(db: Db, actor: Actor, ticketId: string) {
  await getTicketView(db, actor, ticketId);
  const rows = await listDeliveries(db, ticketId);
  if (canSeeWebhookUrls(actor)) return rows;
  return rows.map((row) =>
    row.notification.channel === 'webhook'
      ? { ...row, notification: { ...row.notification, address: row.webhookName ?? 'a webhook' } }
      : row,
  );
}
