import { AppError, fieldError, notFound } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import {
  CONFIRMATION_RESEND_MS,
  normaliseEmail,
  SUBSCRIBE_CONFIRM_PURPOSE,
  UNSUBSCRIBE_PURPOSE,
} from '../../../core/status-subscriptions.js';
import { newSecret } from '../adapters/secrets.js';
import type { Db } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { statusConfirmMailJob } from '../jobs/specs/status-confirm-mail.job-spec.js';
import { listPublicComponents, type PublicComponentRow } from '../repositories/status-page.repository.js';
import {
  claimConfirmationMail,
  confirmSubscriber,
  countAwaitingConfirmation,
  countConfirmedSubscribers,
  deleteSubscriber,
  findSubscriberById,
  insertWebhookSubscriber,
  listWebhookSubscribers,
  type StatusSubscriberRow,
  upsertEmailSubscriber,
} from '../repositories/status-subscriptions.repository.js';
import type { OutboundTargets, ServiceDeps } from './deps.js';
import { verifyStatusLink } from './signed-links.service.js';

/**
 * Status page subscriptions (issue 15 #3): people subscribe by e-mail from the page with no
 * account (double opt-in, one-click unsubscribe); staff add webhooks. What they receive is
 * decided by the fan-out (status-fan-out.service.ts), from the ticket-change pipeline.
 */

export type ComponentChoice = 'all' | string[];

export { listPublicComponents as listSubscribableComponents };

/** The chosen components must be on the page now; `all` is stored as none (it covers later ones too). */
async function componentIdsOf(db: Db, choice: ComponentChoice, field: string): Promise<string[]> {
  if (choice === 'all') return [];
  if (choice.length === 0) throw fieldError('validation_failed', field, 'tick at least one, or choose all services');
  const shown = new Set((await listPublicComponents(db)).map((c) => c.id));
  const unknown = choice.filter((id) => !shown.has(id));
  if (unknown.length > 0) throw fieldError('validation_failed', field, 'names a service that is not on the status page');
  return [...new Set(choice)];
}

export interface SubscribeOutcome {
  state: 'confirmation_sent' | 'confirmation_recently_sent' | 'already_confirmed';
  email: string;
  message: string;
}

/**
 * Subscribes an address, or changes the components of its subscription. A new or unconfirmed
 * address gets a confirmation mail (at most one per five minutes, so a bot or a double click
 * cannot flood a mailbox); a confirmed one needs no second confirmation and keeps receiving.
 */
export async function subscribeByEmail(
  deps: ServiceDeps,
  input: { email: string; components: ComponentChoice },
): Promise<SubscribeOutcome> {
  const email = normaliseEmail(input.email);
  if (!email) {
    throw fieldError('validation_failed', 'email', 'is not an address we can send mail to (it should look like name@example.org)');
  }
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const componentIds = await componentIdsOf(tx, input.components, 'components');
    const { subscriber } = await upsertEmailSubscriber(tx, { address: email, componentIds, now });
    if (subscriber.confirmedAt) {
      return {
        state: 'already_confirmed',
        email,
        message: `${email} is already subscribed and confirmed: no need to confirm again. Your choice of services is updated.`,
      };
    }
    if (!(await claimConfirmationMail(tx, subscriber.id, now, new Date(now.getTime() - CONFIRMATION_RESEND_MS)))) {
      return {
        state: 'confirmation_recently_sent',
        email,
        message: `We sent a confirmation link to ${email} a few minutes ago: follow it to start receiving updates.`,
      };
    }
    await scheduleJob(tx, statusConfirmMailJob, { subscriberId: subscriber.id, requestedAt: now.toISOString() }, { runAt: now, now });
    return {
      state: 'confirmation_sent',
      email,
      message: `Almost done: we sent a link to ${email}. Follow it within 48 hours to start receiving updates.`,
    };
  });
}

/** Why a link did not work, in words for the page. Nothing was changed. */
export const LINK_NOT_VALID =
  'This link is not valid: it may be incomplete, changed, or expired. Nothing was changed. Subscribe again from the status page to get a new one.';

async function subscriberOfLink(deps: ServiceDeps, token: string, purpose: typeof SUBSCRIBE_CONFIRM_PURPOSE | typeof UNSUBSCRIBE_PURPOSE) {
  const claims = token ? await verifyStatusLink(deps.db, token, purpose, deps.clock.now()) : null;
  if (!claims) throw new AppError('validation_failed', LINK_NOT_VALID, { errors: [{ field: 'token', message: 'is not a valid link' }] });
  const subscriber = await findSubscriberById(deps.db, claims.subject);
  // A link made for another address (or a subscription since removed) confirms nothing.
  return { claims, subscriber: subscriber && subscriber.address === claims.userId ? subscriber : null };
}

/** For the page behind a link (GET): who it is for; changes nothing, since mail scanners follow links. */
export async function describeStatusLink(
  deps: ServiceDeps,
  token: string,
  purpose: 'confirm' | 'unsubscribe',
): Promise<{ email: string; subscriber: StatusSubscriberRow | null }> {
  const { claims, subscriber } = await subscriberOfLink(
    deps,
    token,
    purpose === 'confirm' ? SUBSCRIBE_CONFIRM_PURPOSE : UNSUBSCRIBE_PURPOSE,
  );
  return { email: claims.userId, subscriber };
}

export async function confirmSubscription(
  deps: ServiceDeps,
  token: string,
): Promise<{ email: string; state: 'confirmed' | 'already_confirmed' }> {
  const { claims, subscriber } = await subscriberOfLink(deps, token, SUBSCRIBE_CONFIRM_PURPOSE);
  if (!subscriber)
    throw new AppError('not_found', 'This subscription no longer exists (it was cancelled). Subscribe again from the status page.');
  if (subscriber.confirmedAt) return { email: claims.userId, state: 'already_confirmed' };
  const confirmed = await confirmSubscriber(deps.db, subscriber.id, deps.clock.now());
  return { email: claims.userId, state: confirmed ? 'confirmed' : 'already_confirmed' };
}

/** One click, no question (RFC 8058). Following the link again answers the same. */
export async function unsubscribeByLink(
  deps: ServiceDeps,
  token: string,
): Promise<{ email: string; state: 'unsubscribed' | 'not_subscribed' }> {
  const { claims, subscriber } = await subscriberOfLink(deps, token, UNSUBSCRIBE_PURPOSE);
  const removed = subscriber ? await deleteSubscriber(deps.db, subscriber.id, 'email') : undefined;
  return { email: claims.userId, state: removed ? 'unsubscribed' : 'not_subscribed' };
}

/** A webhook subscriber (managers and admins): an http(s) URL not on a private network unless allowed. */
export async function createStatusWebhook(
  deps: ServiceDeps & { outbound: OutboundTargets },
  actor: Actor,
  input: { name: string; url: string; components: ComponentChoice; secret?: string },
): Promise<{ subscriber: StatusSubscriberRow; secret: string }> {
  const url = new URL(input.url);
  const refusal = await deps.outbound.refusalFor(url.hostname);
  if (refusal) throw fieldError('unprocessable', 'url', refusal);
  const componentIds = await componentIdsOf(deps.db, input.components, 'components');
  const secret = input.secret ?? newSecret('fbs');
  const subscriber = await insertWebhookSubscriber(deps.db, {
    name: input.name,
    url: url.toString(),
    secret,
    componentIds,
    createdById: actor.id,
    now: deps.clock.now(),
  });
  if (!subscriber) throw fieldError('conflict', 'url', 'already receives status page updates: remove that subscription first');
  return { subscriber, secret };
}

export { listWebhookSubscribers as listStatusWebhooks };

export async function removeStatusWebhook(db: Db, id: string): Promise<StatusSubscriberRow> {
  const removed = await deleteSubscriber(db, id, 'webhook');
  if (!removed) throw notFound('webhook subscription');
  return removed;
}

export interface SubscriberCounts {
  allComponents: { email: number; webhook: number };
  components: { componentId: string; name: string; email: number; webhook: number }[];
  awaitingConfirmation: number;
}

/** For the desk: how many hear of news on each public component. */
export async function countSubscribers(db: Db): Promise<SubscriberCounts> {
  const [rows, components, awaitingConfirmation] = await Promise.all([
    countConfirmedSubscribers(db),
    listPublicComponents(db),
    countAwaitingConfirmation(db),
  ]);
  const of = (componentId: string | null, channel: string) =>
    rows.filter((r) => r.componentId === componentId && r.channel === channel).reduce((n, r) => n + r.n, 0);
  const allComponents = { email: of(null, 'email'), webhook: of(null, 'webhook') };
  return {
    allComponents,
    components: components.map((c: PublicComponentRow) => ({
      componentId: c.id,
      name: c.name,
      email: allComponents.email + of(c.id, 'email'),
      webhook: allComponents.webhook + of(c.id, 'webhook'),
    })),
    awaitingConfirmation,
  };
}
