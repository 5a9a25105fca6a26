import { MAINTENANCE_STATE_LABELS, type MaintenanceNews } from '../../../../core/maintenance.js';
import { COMPONENT_STATUS_LABELS, type ComponentStatus, PUBLIC_UPDATE_STATUS_LABELS, UPTIME_RULE } from '../../../../core/status-page.js';
import type { StatusComponent, StatusIncident, StatusMaintenance, StatusPage, StatusUpdate } from '../../services/status-page.service.js';

/**
 * The public status page as plain server-rendered HTML: no script at all, so it loads fast and
 * still works when the desk's UI is busy or broken. Every text that came from a person goes
 * through `escapeHtml`; the template literal tag `html` makes forgetting it impossible for values.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Already-safe markup, as produced by `html`. */
class Markup {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

type Value = string | number | Markup | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Markup(out);
}

const INDICATOR_CLASS = { none: 'ok', maintenance: 'maintenance', minor: 'minor', major: 'major', critical: 'critical' } as const;

function when(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "6 Dec 2026" (UTC, like every time on the page); Intl is far slower for 2,700 bars. */
/**
 * The heading of one public update: the stage it was written for ("Investigating",
 * "Identified" …), or for a plain public reply "Update" ("Resolved" once the incident was).
 */
export function updateLabel(u: Pick<StatusUpdate, 'stage' | 'status'>): string {
  if (u.stage) return PUBLIC_UPDATE_STATUS_LABELS[u.stage];
  return u.status === 'resolved' ? 'Resolved' : 'Update';
}

function day(at: Date): string {
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
}

function percent(share: number): string {
  return `${(Math.floor(share * 10_000) / 100).toFixed(2)}%`;
}

function layout(page: StatusPage, title: string, body: Markup): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/status/status.css">
<link rel="alternate" type="application/json" href="/status/api/v2/summary.json">
<link rel="alternate" type="application/rss+xml" title="${page.name} (RSS)" href="/status/feed.rss">
<link rel="alternate" type="application/atom+xml" title="${page.name} (Atom)" href="/status/feed.atom">
</head>
<body>
<header class="top"><a class="name" href="/status">${page.logo ? html`<img class="logo" src="/status/logo?v=${page.logo.sha256.slice(0, 16)}" alt="${page.name}" height="40">` : page.name}</a></header>
<main>${body}</main>
<footer><p>${UPTIME_RULE}</p><p>Follow it: <a href="/status/subscribe">by e-mail</a> · <a href="/status/feed.rss">RSS</a> · <a href="/status/feed.atom">Atom</a>. Machine-readable: <a href="/status/api/v2/summary.json">summary.json</a> (Statuspage API v2). Powered by Firebreak.</p></footer>
</body>
</html>`}`;
}

function statusBadge(status: ComponentStatus): Markup {
  return html`<span class="status status-${status}">${COMPONENT_STATUS_LABELS[status]}</span>`;
}

const DAY_COLOR: Record<ComponentStatus | 'none', string> = {
  none: '#c3c8d0',
  operational: '#2f8a4c',
  under_maintenance: '#3b78c4',
  degraded_performance: '#c99a1e',
  partial_outage: '#d2691e',
  major_outage: '#c0392b',
};

/**
 * A component's 90 days as an SVG image, one bar a day with its day in a tooltip (`<title>`):
 * served on its own and cached by browsers, so the page everyone loads during an outage stays small.
 */
export function renderUptimeSvg(c: StatusComponent): string {
  const width = 4;
  const gap = 1;
  const bars = c.uptimeDays.map((d, i) => {
    const fill = DAY_COLOR[d.uptime === null ? 'none' : d.worst];
    const label =
      d.uptime === null
        ? `${day(d.day)}: no data`
        : `${day(d.day)}: ${percent(d.uptime)} up${d.worst === 'operational' ? '' : `, ${COMPONENT_STATUS_LABELS[d.worst].toLowerCase()}`}`;
    return html`<rect x="${i * (width + gap)}" y="0" width="${width}" height="32" rx="1" fill="${fill}"><title>${label}</title></rect>`;
  });
  const total = c.uptimeDays.length * (width + gap) - gap;
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${total} 32" preserveAspectRatio="none" role="img" aria-label="Uptime of ${c.name}, last 90 days">${bars}</svg>`
    .value;
}

/** Changes whenever a bar would: the image's address carries it, so browsers may keep each version. */
function uptimeVersion(c: StatusComponent): string {
  let hash = 0x811c9dc5;
  for (const d of c.uptimeDays) {
    const key = d.uptime === null ? -1 : Math.round(d.uptime * 10_000) + COMPONENT_STATUSES_INDEX[d.worst] * 100_000;
    hash = Math.imul(hash ^ key, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
const COMPONENT_STATUSES_INDEX: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

/**
 * The 90-day bar as an image (for the eye) and, in words for everyone (a phone has no hover),
 * the total and the most recent days that were not fully up.
 */
function uptimeBar(c: StatusComponent): Markup {
  const bad = c.uptimeDays.filter((d) => d.uptime !== null && d.worst !== 'operational').reverse();
  const said =
    c.uptime === null
      ? 'No uptime recorded yet.'
      : bad.length === 0
        ? 'No outage in the last 90 days.'
        : `Not fully up on ${bad
            .slice(0, 3)
            .map((d) => `${day(d.day)} (${percent(d.uptime ?? 0)}, ${COMPONENT_STATUS_LABELS[d.worst].toLowerCase()})`)
            .join('; ')}${bad.length > 3 ? ` and ${bad.length - 3} more ${bad.length - 3 === 1 ? 'day' : 'days'}` : ''}.`;
  return html`<img class="uptime" src="/status/uptime/${c.id}.svg?v=${uptimeVersion(c)}" alt="" width="449" height="32">
<p class="uptime-legend" aria-hidden="true"><span>90 days ago</span><span>${c.uptime === null ? '' : `${percent(c.uptime)} uptime`}</span><span>Today</span></p>
<p class="uptime-words">${c.uptime === null ? '' : html`<span class="visually-hidden">${percent(c.uptime)} uptime over the last 90 days. </span>`}${said}</p>`;
}

function componentRow(c: StatusComponent, children: StatusComponent[]): Markup {
  return html`<li class="component">
<div class="component-head"><h3>${c.name}</h3>${statusBadge(c.status)}</div>
${c.description ? html`<p class="muted">${c.description}</p>` : ''}
${c.override ? html`<p class="muted">Set by the service desk until ${when(c.override.until)}: ${c.override.reason}</p>` : ''}
${uptimeBar(c)}
${children.length > 0 ? html`<ul class="components children">${children.map((child) => componentRow(child, []))}</ul>` : ''}
</li>`;
}

function incidentBlock(i: StatusIncident, headingLevel: 'h3' | 'h2' = 'h3'): Markup {
  const heading = headingLevel === 'h2' ? html`<h2>${i.name}</h2>` : html`<h3><a href="/status/incidents/${i.id}">${i.name}</a></h3>`;
  const updates = i.updates.map(
    (u) =>
      html`<li><p class="update-head"><strong>${updateLabel(u)}</strong> · <time datetime="${u.at.toISOString()}">${when(u.at)}</time>${u.editedAt ? html` · <span class="edited">edited <time datetime="${u.editedAt.toISOString()}">${when(u.editedAt)}</time></span>` : ''}</p><p class="update-body">${u.body}</p></li>`,
  );
  return html`<article class="incident incident-${i.impact}">
${heading}
<p class="muted">${i.number} · started <time datetime="${i.createdAt.toISOString()}">${when(i.createdAt)}</time>${i.resolvedAt ? html` · resolved <time datetime="${i.resolvedAt.toISOString()}">${when(i.resolvedAt)}</time>` : ''}</p>
${updates.length > 0 ? html`<ol class="updates">${updates}</ol>` : html`<p>We are aware of the problem and are investigating.</p>`}
</article>`;
}

const NEWS_LABEL: Record<MaintenanceNews, string> = {
  scheduled: 'Scheduled',
  reminder: 'Reminder',
  updated: 'Changed',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

function maintenanceBlock(page: StatusPage, m: StatusMaintenance, headingLevel: 'h3' | 'h2' = 'h3'): Markup {
  const heading = headingLevel === 'h2' ? html`<h2>${m.name}</h2>` : html`<h3><a href="/status/maintenance/${m.id}">${m.name}</a></h3>`;
  const names = page.components.filter((c) => m.componentIds.includes(c.id)).map((c) => c.name);
  const updates = m.updates.map(
    (u) =>
      html`<li><p class="update-head"><strong>${NEWS_LABEL[u.news]}</strong> · <time datetime="${u.at.toISOString()}">${when(u.at)}</time></p><p class="update-body">${u.body}</p></li>`,
  );
  return html`<article class="incident maintenance maintenance-${m.state}">
${heading}
<p class="muted"><span class="status status-under_maintenance">${MAINTENANCE_STATE_LABELS[m.state]}</span> · <time datetime="${m.startsAt.toISOString()}">${when(m.startsAt)}</time> to <time datetime="${m.endsAt.toISOString()}">${when(m.endsAt)}</time></p>
${names.length > 0 ? html`<p class="muted">Affects: ${names.join(', ')}</p>` : ''}
${headingLevel === 'h2' ? html`<ol class="updates">${updates}</ol>` : m.description ? html`<p class="update-body">${m.description}</p>` : ''}
</article>`;
}

export function renderStatusPage(page: StatusPage): string {
  const top = page.components.filter((c) => c.parentId === null);
  const childrenOf = (id: string) => page.components.filter((c) => c.parentId === id);
  const body = html`<section class="overall overall-${INDICATOR_CLASS[page.indicator]}" aria-live="polite"><h1>${page.description}</h1><p>Updated <time datetime="${page.updatedAt.toISOString()}">${when(page.updatedAt)}</time></p></section>
${page.activeIncidents.length > 0 ? html`<section aria-labelledby="active"><h2 id="active">Current incidents</h2>${page.activeIncidents.map((i) => incidentBlock(i))}</section>` : ''}
${page.activeMaintenance.length > 0 ? html`<section aria-labelledby="maintenance-now"><h2 id="maintenance-now">Maintenance in progress</h2>${page.activeMaintenance.map((m) => maintenanceBlock(page, m))}</section>` : ''}
<section aria-labelledby="components"><h2 id="components">Services</h2>
${top.length > 0 ? html`<ul class="components">${top.map((c) => componentRow(c, childrenOf(c.id)))}</ul>` : html`<p class="muted">No services are shown here yet.</p>`}
</section>
${page.upcomingMaintenance.length > 0 ? html`<section aria-labelledby="maintenance-planned"><h2 id="maintenance-planned">Scheduled maintenance</h2>${page.upcomingMaintenance.map((m) => maintenanceBlock(page, m))}</section>` : ''}
<section aria-labelledby="past"><h2 id="past">Past incidents</h2>
${page.pastIncidents.length > 0 ? page.pastIncidents.slice(0, 5).map((i) => incidentBlock(i)) : html`<p class="muted">No incidents in the last 90 days.</p>`}
<p><a href="/status/history">Incident history</a></p>
</section>`;
  return layout(page, `${page.name}: ${page.description}`, body);
}

export function renderHistory(page: StatusPage): string {
  const body = html`<p><a href="/status">← Current status</a></p>
<h1>Incident history</h1>
<p class="muted">The last 90 days, newest first.</p>
${page.pastIncidents.length > 0 ? page.pastIncidents.map((i) => incidentBlock(i)) : html`<p>No incidents in the last 90 days.</p>`}
<h2>Past maintenance</h2>
${page.pastMaintenance.length > 0 ? page.pastMaintenance.map((m) => maintenanceBlock(page, m)) : html`<p>No maintenance in the last 90 days.</p>`}`;
  return layout(page, `${page.name}: incident history`, body);
}

export function renderMaintenance(page: StatusPage, maintenance: StatusMaintenance): string {
  const body = html`<p><a href="/status">← Current status</a></p>
${maintenanceBlock(page, maintenance, 'h2')}`;
  return layout(page, `${page.name}: ${maintenance.name}`, body);
}

export function renderIncident(page: StatusPage, incident: StatusIncident): string {
  const names = page.components.filter((c) => incident.componentIds.includes(c.id)).map((c) => c.name);
  const body = html`<p><a href="/status">← Current status</a></p>
${incidentBlock(incident, 'h2')}
${names.length > 0 ? html`<p class="muted">Affects: ${names.join(', ')}</p>` : ''}`;
  return layout(page, `${page.name}: ${incident.name}`, body);
}

export function renderNotFound(page: StatusPage): string {
  return layout(
    page,
    `${page.name}: not found`,
    html`<h1>Not found</h1><p>There is no such incident or maintenance here (it may not be public). <a href="/status">Current status</a></p>`,
  );
}

export const STATUS_PAGE_CSS = `
:root { color-scheme: light dark; --bg:#f6f7f9; --surface:#fff; --text:#1b1f24; --muted:#555e6b; --border:#d5d9e0; --link:#1f5fb4;
  --ok:#1e6b3a; --ok-soft:#e3f3e8; --minor:#7a5200; --minor-soft:#fdf1d6; --major:#a5400c; --major-soft:#fde6d8; --critical:#a11d1d; --critical-soft:#fbe4e4; --maint:#1f5fb4; --maint-soft:#e4eefb; --none:#d5d9e0; }
@media (prefers-color-scheme: dark) { :root { --bg:#121418; --surface:#1b1e24; --text:#e8eaee; --muted:#a7afbb; --border:#3a404b; --link:#8ab8ff;
  --ok:#7fd39b; --ok-soft:#1b3324; --minor:#f2c768; --minor-soft:#3a2f14; --major:#ffb07a; --major-soft:#3d2414; --critical:#ff9c9c; --critical-soft:#3d1b1b; --maint:#8ab8ff; --maint-soft:#1a2a40; --none:#3a404b; } }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--text); font:16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color:var(--link); }
.top, main, footer { max-width: 52rem; margin: 0 auto; padding: 1rem; }
.top .name { font-size:1.25rem; font-weight:700; color:var(--text); text-decoration:none; }
.top .logo { display:block; height:40px; width:auto; max-width:min(16rem, 70vw); object-fit:contain; }
@media (prefers-color-scheme: dark) { .top .logo { background:#fff; padding:4px 8px; border-radius:6px; } }
h1 { font-size:1.4rem; margin:0; } h2 { font-size:1.15rem; margin:1.5rem 0 .5rem; } h3 { font-size:1rem; margin:0; }
.muted { color:var(--muted); }
.overall { border-radius:8px; padding:1rem 1.25rem; border:1px solid var(--border); }
.overall p { margin:.25rem 0 0; }
.overall-ok { background:var(--ok-soft); color:var(--ok); } .overall-minor { background:var(--minor-soft); color:var(--minor); }
.overall-major { background:var(--major-soft); color:var(--major); } .overall-critical { background:var(--critical-soft); color:var(--critical); }
.overall-maintenance { background:var(--maint-soft); color:var(--maint); }
.components { list-style:none; margin:0; padding:0; background:var(--surface); border:1px solid var(--border); border-radius:8px; }
.component { padding: .9rem 1rem; } .component + .component { border-top:1px solid var(--border); }
.children { margin-top:.75rem; border-radius:6px; }
.component-head { display:flex; justify-content:space-between; gap:.75rem; align-items:baseline; flex-wrap:wrap; }
.status { font-size:.9rem; font-weight:600; }
.status-operational { color:var(--ok); } .status-degraded_performance { color:var(--minor); } .status-partial_outage { color:var(--major); }
.status-major_outage { color:var(--critical); } .status-under_maintenance { color:var(--maint); }
.uptime { display:block; width:100%; height:2rem; margin:.6rem 0 .2rem; }
.uptime-words { font-size:.85rem; color:var(--muted); margin:.2rem 0 0; }
.uptime-legend { display:flex; justify-content:space-between; font-size:.8rem; color:var(--muted); margin:0; }
.incident { background:var(--surface); border:1px solid var(--border); border-left:4px solid var(--minor); border-radius:8px; padding:.9rem 1rem; margin-bottom:.75rem; }
.incident-critical { border-left-color:var(--critical); } .maintenance { border-left-color:var(--maint); } .maintenance-cancelled, .maintenance-completed { border-left-color:var(--border); } .incident-major { border-left-color:var(--major); } .incident-none { border-left-color:var(--border); }
.incident p { margin:.25rem 0; }
.updates { list-style:none; padding:0; margin:.5rem 0 0; } .updates li + li { border-top:1px solid var(--border); margin-top:.5rem; padding-top:.5rem; }
.update-body { white-space:pre-wrap; overflow-wrap:anywhere; }
footer { color:var(--muted); font-size:.85rem; }
.visually-hidden { position:absolute; width:1px; height:1px; padding:0; margin:-1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; border:0; }
`;
