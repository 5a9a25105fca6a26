import { RATING_LINK_DAYS, RATING_LINK_PURPOSE } from '../../../core/satisfaction.js';
import {
  CONFIRM_LINK_HOURS,
  SUBSCRIBE_CONFIRM_PURPOSE,
  UNSUBSCRIBE_LINK_DAYS,
  UNSUBSCRIBE_PURPOSE,
} from '../../../core/status-subscriptions.js';
import { type LinkClaims, newSigningKey, signLink, verifyLink } from '../adapters/signed-links.js';
import type { Db } from '../db/client.js';
import { readOrInitSetting } from '../repositories/settings.repository.js';

/** Acknowledge links in page e-mails work for a day: long enough for a night, short enough to go stale. */
export const PAGE_ACK_PURPOSE = 'page_ack';
export const PAGE_ACK_LINK_HOURS = 24;

/** The key every process signs links with: made on first use, kept in `settings`. */
async function signingKey(db: Db, now: Date): Promise<string> {
  return readOrInitSetting(db, 'link_signing_key', newSigningKey(), now);
}

export async function pageAckUrl(db: Db, publicUrl: string, pageId: string, userId: string, now: Date): Promise<string> {
  const token = signLink(await signingKey(db, now), {
    purpose: PAGE_ACK_PURPOSE,
    subject: pageId,
    userId,
    expiresAt: new Date(now.getTime() + PAGE_ACK_LINK_HOURS * 3_600_000),
  });
  return `${publicUrl}/api/v1/pages/acknowledge?token=${encodeURIComponent(token)}`;
}

export async function verifyPageAckToken(db: Db, token: string, now: Date): Promise<LinkClaims | null> {
  return verifyLink(await signingKey(db, now), token, PAGE_ACK_PURPOSE, now);
}

/** The link in the "how did we do?" mail: rates one ticket as its requester, for a month. */
export async function rateTicketUrl(db: Db, publicUrl: string, ticketId: string, userId: string, now: Date): Promise<string> {
  const token = signLink(await signingKey(db, now), {
    purpose: RATING_LINK_PURPOSE,
    subject: ticketId,
    userId,
    expiresAt: new Date(now.getTime() + RATING_LINK_DAYS * 86_400_000),
  });
  return `${publicUrl}/api/v1/satisfaction/rate?token=${encodeURIComponent(token)}`;
}

export async function verifyRateToken(db: Db, token: string, now: Date): Promise<LinkClaims | null> {
  return verifyLink(await signingKey(db, now), token, RATING_LINK_PURPOSE, now);
}

/**
 * Status page subscriptions: the confirmation link (double opt-in) and the unsubscribe link. The
 * subject is the subscriber's id and the "user" its address, so a link outlives neither the
 * subscription (unsubscribing and subscribing again makes a new id) nor a change of address.
 * `statusLinkSigner` reads the key once for a whole batch of mails.
 */
export async function statusLinkSigner(db: Db, publicUrl: string, now: Date) {
  const key = await signingKey(db, now);
  const url = (path: string, purpose: string, subscriber: { id: string; address: string }, ms: number) =>
    `${publicUrl}/status/${path}?token=${encodeURIComponent(
      signLink(key, { purpose, subject: subscriber.id, userId: subscriber.address, expiresAt: new Date(now.getTime() + ms) }),
    )}`;
  return {
    confirmUrl: (subscriber: { id: string; address: string }) =>
      url('confirm', SUBSCRIBE_CONFIRM_PURPOSE, subscriber, CONFIRM_LINK_HOURS * 3_600_000),
    unsubscribeUrl: (subscriber: { id: string; address: string }) =>
      url('unsubscribe', UNSUBSCRIBE_PURPOSE, subscriber, UNSUBSCRIBE_LINK_DAYS * 86_400_000),
  };
}

export async function verifyStatusLink(
  db: Db,
  token: string,
  purpose: typeof SUBSCRIBE_CONFIRM_PURPOSE | typeof UNSUBSCRIBE_PURPOSE,
  now: Date,
): Promise<LinkClaims | null> {
  return verifyLink(await signingKey(db, now), token, purpose, now);
}

/** A single sign-on in flight (state, nonce, PKCE verifier), carried by a short-lived cookie. */
const SSO_STATE_PURPOSE = 'sso_state';

export async function signSingleSignOnState(db: Db, flight: string, expiresAt: Date, now: Date): Promise<string> {
  return signLink(await signingKey(db, now), { purpose: SSO_STATE_PURPOSE, subject: flight, userId: '', expiresAt });
}

export async function verifySingleSignOnState(db: Db, token: string, now: Date): Promise<string | null> {
  return (await verifyLink(await signingKey(db, now), token, SSO_STATE_PURPOSE, now))?.subject ?? null;
}
