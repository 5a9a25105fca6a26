import { PUBLIC_UPDATE_STATUS_LABELS, PUBLIC_UPDATE_STATUSES } from './status-page.js';
import type { AnnouncementKind } from './ticket-follow-ups.js';

/**
 * Status page subscriptions (issue 15 #3), the pure part: what an address is, how it is stored,
 * and the words subscribers receive. No I/O: the services hand in what they read.
 */

/** How long the link in a confirmation mail works: long enough for a weekend, short enough to go stale. */
export const CONFIRM_LINK_HOURS = 48;
/** Unsubscribe links must keep working in old mails (RFC 8058 expects them to): a year. */
export const UNSUBSCRIBE_LINK_DAYS = 365;
/** A second subscribe within this time sends no second confirmation mail (a double click, a bot). */
export const CONFIRMATION_RESEND_MS = 5 * 60_000;

export const SUBSCRIBE_CONFIRM_PURPOSE = 'status_subscribe_confirm';
export const UNSUBSCRIBE_PURPOSE = 'status_unsubscribe';

/**
 * An address as stored: trimmed and lower-cased, so "Ann@Example.org " and "ann@example.org"
 * are one subscriber. (The local part is case-sensitive in theory; no mail system in use treats
 * it so, and two subscriptions for one mailbox would mail its owner twice.) null: not an address
 * anyone could receive mail at.
 */
export function normaliseEmail(input: string): string | null {
  const address = input.trim().toLowerCase();
  if (address.length > 254) return null;
  // One @, a local part without spaces or angle brackets, a domain with a dot and sane labels.
  const match = /^([^\s@<>()[\]\\,;:"]+)@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)$/.exec(address);
  if (!match || match[1].length > 64) return null;
  if (match[1].startsWith('.') || match[1].endsWith('.') || match[1].includes('..')) return null;
  return address;
}

export interface AnnouncedIncident {
  number: string;
  title: string;
  resolutionNotes: string | null;
}

/**
 * The words of one piece of news, as plain text (the mail's HTML part escapes them, webhooks
 * carry them as JSON strings). `update` is the desk's public comment as written; `stage`, the
 * stage the update composer wrote it for ("identified"…), names it, as the status page does
 * (a plain public reply has none and is an "Update").
 */
export function announcementText(input: {
  pageName: string;
  what: AnnouncementKind;
  incident: AnnouncedIncident;
  comment: string | null;
  stage?: string | null;
  componentNames: readonly string[];
}): { subject: string; body: string } {
  const { incident, what } = input;
  const affects = input.componentNames.length > 0 ? `Affects: ${input.componentNames.join(', ')}` : '';
  const stage = PUBLIC_UPDATE_STATUSES.find((s) => s === input.stage);
  const label =
    what === 'started' ? 'Investigating' : what === 'resolved' ? 'Resolved' : stage ? PUBLIC_UPDATE_STATUS_LABELS[stage] : 'Update';
  const text =
    what === 'started'
      ? 'We are aware of the problem and are investigating.'
      : what === 'resolved'
        ? incident.resolutionNotes?.trim() || 'This incident is resolved.'
        : (input.comment ?? '').trim();
  return {
    subject: `[${input.pageName}] ${label}: ${incident.title}`,
    body: [`${label}: ${incident.title}`, '', text, '', affects].join('\n').trim(),
  };
}

/** Whether a subscriber of `subscribed` (empty: every component) hears of news on `affected`. */
export function hearsOf(subscribed: readonly string[], affected: readonly string[]): boolean {
  return subscribed.length === 0 || subscribed.some((id) => affected.includes(id));
}

/**
 * The automatic first notice ("Investigating: …") waits this long after an incident goes public
 * (admin setting). In the first minutes the communications manager is usually writing the real
 * first update; sending both mails every subscriber twice in a minute. The status page itself
 * shows the incident and the component's status at once; only the news to subscribers waits.
 */
export const DEFAULT_FIRST_NOTICE_DELAY_MINUTES = 5;
export const MAX_FIRST_NOTICE_DELAY_MINUTES = 60;

/** When the automatic first notice of an incident that went public at `startedAt` is due. */
export function firstNoticeDueAt(startedAt: Date, delayMinutes: number): Date {
  return new Date(startedAt.getTime() + Math.max(0, delayMinutes) * 60_000);
}

/**
 * Whether the automatic first notice still has something to say when its wait ends: not once the
 * desk has posted its own public update (subscribers heard from a person), nor once the incident
 * is resolved (the resolution is the news) or no longer public (downgraded: nothing to announce).
 */
export function firstNoticeStillNews(facts: { publicIncident: boolean; open: boolean; deskPostedSince: boolean }): boolean {
  return facts.publicIncident && facts.open && !facts.deskPostedSince;
}

/** An incident the public may know of: global scope or a major incident (what the status page shows). */
export function isPublicIncident(ticket: { kind: string; scope: string; majorSince: Date | null }): boolean {
  return ticket.kind === 'incident' && (ticket.scope === 'global' || ticket.majorSince !== null);
}
