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
