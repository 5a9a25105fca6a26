import { HeldJobError, PermanentJobError } from '../jobs/errors.js';
import { listPublicComponents } from '../repositories/status-page.repository.js';
import {
  type DeliveryToSend,
  findDeliveriesToSend,
  findSubscriberById,
  markDeliveriesSent,
} from '../repositories/status-subscriptions.repository.js';
import type { ServiceDeps } from './deps.js';
import { asWebhookJobError, type DeliveryChannels } from './notifications.service.js';
import { statusLinkSigner } from './signed-links.service.js';
import { getStatusPageSettings } from './status-page.service.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** The status page's page for the news: the incident's, or the maintenance window's. */
function newsPage(publicUrl: string, announcement: DeliveryToSend['announcement']): string {
  return announcement.maintenanceId
    ? `${publicUrl}/status/maintenance/${announcement.maintenanceId}`
    : `${publicUrl}/status/incidents/${announcement.ticketId}`;
}

/**
 * The delivery job, batched: one read for the sweep's deliveries, the sends side by side, one
 * write marking the sent ones. A delivery already sent (its job run again) is not sent again;
 * one whose subscriber unsubscribed since is gone with it (cascade), so nothing is sent. Answers
 * per delivery, in order: null when done, or the error its send failed with (retried alone).
 */
export async function deliverStatusMessages(
  deps: ServiceDeps,
  mail: DeliveryChannels,
  deliveryIds: readonly string[],
): Promise<(Error | null)[]> {
  const found = await findDeliveriesToSend(deps.db, [...deliveryIds]);
  const now = deps.clock.now();
  const links = await statusLinkSigner(deps.db, mail.publicUrl, now);
  const sent: string[] = [];
  const outcomes = await Promise.all(
    deliveryIds.map(async (id): Promise<Error | null> => {
      const delivery = found.get(id);
      if (!delivery || delivery.sentAt) return null;
      try {
        if (delivery.subscriber.channel === 'webhook') await postWebhook(mail, delivery);
        else await sendUpdateMail(mail, delivery, links.unsubscribeUrl(delivery.subscriber));
        sent.push(id);
        return null;
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    }),
  );
  await markDeliveriesSent(deps.db, sent, deps.clock.now());
  return outcomes;
}

async function sendUpdateMail(mail: DeliveryChannels, delivery: DeliveryToSend, unsubscribeUrl: string): Promise<void> {
  // E-mail out off: held, not failed; an admin's "send held mail" releases it (failed work).
  if (!mail.mailer) throw new HeldJobError('not sent: e-mail out was off');
  const { announcement } = delivery;
  const page = newsPage(mail.publicUrl, announcement);
  await mail.mailer.send({
    to: delivery.subscriber.address,
    subject: announcement.subject,
    text: `${announcement.bodyText}\n\nFollow it on the status page: ${page}\n\nYou get this because you subscribed to the status page. Unsubscribe: ${unsubscribeUrl}\n`,
    // The desk's words are text: escaped, never markup, whatever they contain.
    html: `<div style="font-family:sans-serif;white-space:pre-wrap">${escapeHtml(announcement.bodyText)}</div><p><a href="${escapeHtml(page)}">Follow it on the status page</a></p><p style="font-size:small;color:#555">You get this because you subscribed to the status page. <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>`,
    // Deterministic per subscriber × announcement: a receiving system can tell a repeat apart.
    messageId: `<status-${delivery.id}@${mail.messageIdDomain}>`,
    // Every mail about one incident (or one maintenance window) threads together.
    references: [
      announcement.maintenanceId
        ? `<status-maintenance-${announcement.maintenanceId}@${mail.messageIdDomain}>`
        : `<status-incident-${announcement.ticketId}@${mail.messageIdDomain}>`,
    ],
    headers: {
      // RFC 8058 one-click unsubscribe: mail clients show an "Unsubscribe" button that POSTs here.
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `Status page <status.${mail.messageIdDomain}>`,
      Precedence: 'bulk',
    },
  });
}

async function postWebhook(mail: DeliveryChannels, delivery: DeliveryToSend): Promise<void> {
  const { announcement, subscriber } = delivery;
  if (!subscriber.secret) throw new PermanentJobError('not sent: the webhook subscription has no signing secret');
  const body = JSON.stringify({
    type: announcement.maintenanceId ? 'maintenance.update' : `incident.${announcement.kind}`,
    deliveryId: delivery.id,
    announcement: {
      id: announcement.id,
      kind: announcement.kind,
      subject: announcement.subject,
      body: announcement.bodyText,
      at: announcement.createdAt.toISOString(),
    },
    ...(announcement.maintenanceId
      ? { maintenance: { id: announcement.maintenanceId, url: newsPage(mail.publicUrl, announcement) } }
      : { incident: { id: announcement.ticketId, url: newsPage(mail.publicUrl, announcement) } }),
    componentIds: announcement.componentIds,
  });
  await mail.webhooks.post(subscriber.address, body, subscriber.secret).catch(asWebhookJobError);
}

/** The double opt-in mail, its link signed now. Nothing to do once confirmed or unsubscribed. */
export async function sendConfirmationMail(deps: ServiceDeps, mail: DeliveryChannels, subscriberId: string): Promise<void> {
  const subscriber = await findSubscriberById(deps.db, subscriberId);
  if (!subscriber || subscriber.confirmedAt || subscriber.channel !== 'email') return;
  if (!mail.mailer) throw new HeldJobError('not sent: e-mail out was off');
  const links = await statusLinkSigner(deps.db, mail.publicUrl, deps.clock.now());
  const [{ name }, components] = await Promise.all([getStatusPageSettings(deps.db), listPublicComponents(deps.db)]);
  const confirmUrl = links.confirmUrl(subscriber);
  const choice =
    subscriber.componentIds.length === 0
      ? 'every service'
      : components
          .filter((c) => subscriber.componentIds.includes(c.id))
          .map((c) => c.name)
          .join(', ');
  await mail.mailer.send({
    to: subscriber.address,
    subject: `[${name}] Confirm your subscription`,
    text: `Someone (we hope you) asked to get ${name} updates at this address: ${choice}.\n\nConfirm it: ${confirmUrl}\n\nThe link works for 48 hours. If you did not ask, ignore this mail: nothing will be sent.\n`,
    html: `<p>Someone (we hope you) asked to get ${escapeHtml(name)} updates at this address: ${escapeHtml(choice)}.</p><p><a href="${escapeHtml(confirmUrl)}">Confirm the subscription</a></p><p>The link works for 48 hours. If you did not ask, ignore this mail: nothing will be sent.</p>`,
    messageId: `<status-confirm-${subscriber.id}-${deps.clock.now().getTime()}@${mail.messageIdDomain}>`,
    references: [],
  });
}
