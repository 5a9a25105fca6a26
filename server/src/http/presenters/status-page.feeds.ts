import { createRequire } from 'node:module';
import { firstNoticeDueAt } from '../../../../core/status-subscriptions.js';
import type { StatusIncident, StatusMaintenance, StatusPage } from '../../services/status-page.service.js';
import { escapeHtml, updateLabel } from './status-page.html.js';

// feedsmith is loaded with the first feed asked for, not with the server (~13 MB resident);
// `require` keeps rendering synchronous (it ships CommonJS too).
const load = createRequire(import.meta.url);
const feedsmith = () => load('feedsmith') as typeof import('feedsmith');

/**
 * The status page as RSS 2.0 and Atom feeds (issue 15), for feed readers and chat integrations:
 * one entry per public update (and one for an incident nobody has written about yet, after the
 * first notice's wait) and per
 * piece of planned-maintenance news, newest
 * first, for the whole page or one service. Written by feedsmith. Readers treat an entry's body
 * as HTML (RSS always, Atom when it says so), so what people wrote is HTML-escaped first: a
 * reader shows `<script>` as those characters, never runs or renders it.
 */

interface Entry {
  id: string;
  title: string;
  body: string;
  at: Date;
  /** When a corrected update was last corrected: feed readers show the entry again as changed. */
  editedAt?: Date | null;
  link: string;
}

const MAINTENANCE_WORD = {
  scheduled: 'planned maintenance',
  reminder: 'maintenance reminder',
  updated: 'maintenance changed',
  in_progress: 'maintenance started',
  completed: 'maintenance completed',
  cancelled: 'maintenance cancelled',
} as const;

/**
 * An incident nobody has written about yet gets an "investigating" entry once the automatic
 * first notice's wait is over, as subscribers' mail does: a feed reader polling in the first
 * minutes would otherwise announce it, then the desk's own first update a minute later.
 */
function entriesOf(page: StatusPage, incidents: StatusIncident[], maintenance: StatusMaintenance[], publicUrl: string): Entry[] {
  const entries: Entry[] = [];
  for (const m of maintenance) {
    for (const u of m.updates) {
      entries.push({
        id: `maintenance-${m.id}-${u.id}`,
        title: `${m.name}: ${MAINTENANCE_WORD[u.news]}`,
        body: u.body,
        at: u.at,
        link: `${publicUrl}/status/maintenance/${m.id}`,
      });
    }
  }
  for (const i of incidents) {
    const link = `${publicUrl}/status/incidents/${i.id}`;
    if (i.updates.length === 0 && firstNoticeDueAt(i.createdAt, page.firstNoticeDelayMinutes) <= page.readAt) {
      entries.push({
        id: `${i.id}-opened`,
        title: `${i.name}: investigating`,
        body: 'We are aware of the problem and are investigating.',
        at: i.createdAt,
        link,
      });
    }
    for (const u of i.updates) {
      entries.push({
        id: `${i.id}-${u.id}`,
        title: `${i.name}: ${updateLabel(u).toLowerCase()}${u.editedAt ? ' (edited)' : ''}`,
        body: u.editedAt ? `${u.body}\n\n(Edited ${u.editedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)` : u.body,
        at: u.at,
        editedAt: u.editedAt,
        link,
      });
    }
  }
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, 100);
}

/** The incidents the feed covers: all of them, or those that showed on one service. */
function incidentsFor(page: StatusPage, componentId: string | null): StatusIncident[] {
  const all = [...page.activeIncidents, ...page.pastIncidents];
  return componentId ? all.filter((i) => i.componentIds.includes(componentId)) : all;
}

function maintenanceFor(page: StatusPage, componentId: string | null): StatusMaintenance[] {
  const all = [...page.activeMaintenance, ...page.upcomingMaintenance, ...page.pastMaintenance];
  return componentId ? all.filter((m) => m.componentIds.includes(componentId)) : all;
}

function titleOf(page: StatusPage, componentId: string | null): string {
  const component = componentId ? page.components.find((c) => c.id === componentId) : null;
  return component ? `${page.name}: ${component.name}` : page.name;
}

export function renderRss(page: StatusPage, publicUrl: string, componentId: string | null): string {
  const entries = entriesOf(page, incidentsFor(page, componentId), maintenanceFor(page, componentId), publicUrl);
  return feedsmith().generateRssFeed({
    title: titleOf(page, componentId),
    link: `${publicUrl}/status`,
    description: `Incidents and updates from ${titleOf(page, componentId)}`,
    lastBuildDate: page.updatedAt,
    items: entries.map((e) => ({
      title: e.title,
      link: e.link,
      description: escapeHtml(e.body),
      guid: { value: e.id, isPermaLink: false },
      pubDate: e.at,
    })),
  });
}

export function renderAtom(page: StatusPage, publicUrl: string, componentId: string | null): string {
  const entries = entriesOf(page, incidentsFor(page, componentId), maintenanceFor(page, componentId), publicUrl);
  const self = `${publicUrl}/status/feed.atom${componentId ? `?component=${componentId}` : ''}`;
  return feedsmith().generateAtomFeed({
    id: self,
    title: { value: titleOf(page, componentId) },
    updated: entries[0]?.at ?? page.updatedAt,
    links: [
      { href: self, rel: 'self', type: 'application/atom+xml' },
      { href: `${publicUrl}/status`, rel: 'alternate', type: 'text/html' },
    ],
    authors: [{ name: page.name }],
    entries: entries.map((e) => ({
      id: `urn:firebreak:status:${e.id}`,
      title: { value: e.title },
      published: e.at,
      updated: e.editedAt ?? e.at,
      links: [{ href: e.link, rel: 'alternate', type: 'text/html' }],
      content: { value: escapeHtml(e.body), type: 'html' },
    })),
  });
}
