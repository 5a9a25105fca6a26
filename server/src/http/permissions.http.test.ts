import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRoleAtLeast, ROLES, type Role } from '../../../core/vocabulary.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../test/test-app.js';
import { tickets } from '../db/schema/index.js';
import { createApiToken } from '../services/auth.service.js';
import { ANY_HOST_PATHS } from './plugins/edge-guards.js';

/**
 * Who may call what. The table walks every route the app registered (app.routeAccess) with
 * every kind of caller, so a new route is covered the moment it exists; the pinned table below
 * makes the author of a new route say, in review, who is meant to call it.
 */

// The access every route is meant to have. A route added, removed or loosened fails this test
// until the change is made here on purpose.
const EXPECTED_ACCESS: Record<string, string> = {
  'GET /api/v1/openapi.json': 'public',
  'GET /api/v1/health': 'public',
  // Readiness for load balancers; the Prometheus scrape opens only to FIREBREAK_METRICS_TOKEN (404 to everyone else).
  'GET /api/v1/ready': 'public',
  'GET /metrics': 'metrics',
  'GET /status': 'public',
  'GET /status/history': 'public',
  'GET /status/incidents/:id': 'public',
  'GET /status/status.css': 'public',
  'GET /status/uptime/:id.svg': 'public',
  'GET /status/feed.rss': 'public',
  'GET /status/feed.atom': 'public',
  'GET /status/api/v2/summary.json': 'public',
  'GET /status/api/v2/status.json': 'public',
  'GET /status/api/v2/components.json': 'public',
  'GET /status/api/v2/incidents.json': 'public',
  'GET /status/api/v2/incidents/unresolved.json': 'public',
  'GET /status/api/v2/scheduled-maintenances.json': 'public',
  'GET /status/api/v2/scheduled-maintenances/upcoming.json': 'public',
  'GET /status/api/v2/scheduled-maintenances/active.json': 'public',
  'PUT /api/v1/status-page/components/:id/override': 'manager',
  'DELETE /api/v1/status-page/components/:id/override': 'manager',
  'GET /api/v1/status-page/settings': 'agent',
  'PUT /api/v1/status-page/settings': 'admin',
  'GET /api/v1/status-page/logo': 'agent',
  'PUT /api/v1/status-page/logo': 'admin',
  'DELETE /api/v1/status-page/logo': 'admin',
  'GET /status/logo': 'public',
  'GET /status/subscribe': 'public',
  'GET /status/subscribe.css': 'public',
  'POST /status/subscribe': 'public',
  'GET /status/confirm': 'public',
  'POST /status/confirm': 'public',
  'GET /status/unsubscribe': 'public',
  'POST /status/unsubscribe': 'public',
  'GET /api/v1/status-page/subscribers': 'agent',
  'GET /api/v1/status-page/webhook-subscriptions': 'manager',
  'POST /api/v1/status-page/webhook-subscriptions': 'manager',
  'DELETE /api/v1/status-page/webhook-subscriptions/:id': 'manager',
  'GET /status/maintenance/:id': 'public',
  'GET /api/v1/maintenance': 'agent',
  'GET /api/v1/maintenance/:id': 'agent',
  'POST /api/v1/maintenance': 'manager',
  'PATCH /api/v1/maintenance/:id': 'manager',
  'POST /api/v1/maintenance/:id/cancel': 'manager',
  'POST /api/v1/auth/sign-in': 'public',
  'POST /api/v1/auth/sign-out': 'public',
  'GET /api/v1/auth/options': 'public',
  'GET /api/v1/auth/sso/start': 'public',
  'GET /api/v1/auth/sso/callback': 'public',
  'POST /api/v1/auth/sso/backchannel-logout': 'public',
  'GET /api/v1/me': 'signed_in',
  'PATCH /api/v1/me': 'signed_in',
  'POST /api/v1/me/password': 'signed_in',
  'GET /api/v1/api-tokens': 'agent',
  'POST /api/v1/api-tokens': 'agent',
  'DELETE /api/v1/api-tokens/:id': 'agent',
  'GET /api/v1/users': 'agent',
  'POST /api/v1/users': 'admin',
  'POST /api/v1/requesters': 'agent',
  'GET /api/v1/users/:id': 'signed_in',
  'PATCH /api/v1/users/:id': 'admin',
  'POST /api/v1/users/:id/password-reset': 'admin',
  'GET /api/v1/teams': 'agent',
  'POST /api/v1/teams': 'admin',
  'GET /api/v1/teams/:id': 'agent',
  'PATCH /api/v1/teams/:id': 'admin',
  'GET /api/v1/services': 'signed_in',
  'POST /api/v1/services': 'admin',
  'GET /api/v1/services/:id': 'signed_in',
  'PATCH /api/v1/services/:id': 'admin',
  'GET /api/v1/categories': 'signed_in',
  'POST /api/v1/categories': 'admin',
  'GET /api/v1/categories/:id': 'signed_in',
  'PATCH /api/v1/categories/:id': 'admin',
  'GET /api/v1/priority-matrix': 'signed_in',
  'PUT /api/v1/priority-matrix': 'admin',
  'POST /api/v1/tickets': 'signed_in',
  'GET /api/v1/tickets': 'signed_in',
  'GET /api/v1/tickets/export': 'agent',
  'POST /api/v1/imports/servicenow': 'admin',
  'POST /api/v1/imports/generic': 'admin',
  'GET /api/v1/imports/:id': 'admin',
  'GET /api/v1/imports': 'admin',
  'GET /api/v1/tickets/:id': 'signed_in',
  'PATCH /api/v1/tickets/:id': 'agent',
  'POST /api/v1/tickets/:id/transitions': 'signed_in',
  'POST /api/v1/tickets/:id/comments': 'signed_in',
  'GET /api/v1/tickets/:id/timeline': 'signed_in',
  'PUT /api/v1/tickets/:id/follow': 'signed_in',
  'DELETE /api/v1/tickets/:id/follow': 'signed_in',
  'GET /api/v1/me/followed-tickets': 'signed_in',
  'GET /api/v1/incident-roles': 'agent',
  'POST /api/v1/incident-roles': 'admin',
  'PATCH /api/v1/incident-roles/:id': 'admin',
  'GET /api/v1/tickets/:id/roles': 'agent',
  'POST /api/v1/tickets/:id/roles': 'agent',
  'POST /api/v1/tickets/:id/roles/release': 'agent',
  'GET /api/v1/me/incident-roles': 'agent',
  'GET /api/v1/tickets/:id/investigations': 'agent',
  'POST /api/v1/tickets/:id/investigations': 'agent',
  'PATCH /api/v1/tickets/:id/investigations/:itemId': 'agent',
  'POST /api/v1/tickets/:id/investigations/:itemId/findings': 'agent',
  'PUT /api/v1/tickets/:id/root-cause': 'agent',
  'GET /api/v1/tickets/:id/tasks': 'agent',
  'POST /api/v1/tickets/:id/tasks': 'agent',
  'PATCH /api/v1/tickets/:id/tasks/:itemId': 'agent',
  'GET /api/v1/tickets/:id/meetings': 'agent',
  'POST /api/v1/tickets/:id/meetings': 'agent',
  'PATCH /api/v1/tickets/:id/meetings/:itemId': 'agent',
  'POST /api/v1/tickets/:id/meetings/:itemId/start': 'agent',
  'POST /api/v1/tickets/:id/meetings/:itemId/end': 'agent',
  'GET /api/v1/completion-checklists': 'agent',
  'PUT /api/v1/completion-checklists': 'admin',
  'GET /api/v1/tickets/:id/completion': 'agent',
  'POST /api/v1/tickets/:id/final-update': 'agent',
  // Stakeholder updates (issue 15): the desk composes and sends; admins set up templates, lists and the cadence.
  'GET /api/v1/tickets/:id/update-composer': 'agent',
  'POST /api/v1/tickets/:id/stakeholder-updates': 'agent',
  'PUT /api/v1/tickets/:id/public-updates/:updateId': 'agent',
  'GET /api/v1/stakeholder-updates/due': 'agent',
  'GET /api/v1/update-cadence': 'agent',
  'PUT /api/v1/update-cadence': 'admin',
  'GET /api/v1/update-templates': 'agent',
  'PUT /api/v1/update-templates': 'admin',
  'GET /api/v1/stakeholder-lists': 'agent',
  'POST /api/v1/stakeholder-lists': 'admin',
  'PUT /api/v1/stakeholder-lists/:id': 'admin',
  'DELETE /api/v1/stakeholder-lists/:id': 'admin',
  'POST /api/v1/tickets/:id/preventive-measures': 'agent',
  'PUT /api/v1/tickets/:id/review': 'agent',
  'PUT /api/v1/tickets/:id/completion/items/:key': 'agent',
  'GET /api/v1/review-template': 'agent',
  'PUT /api/v1/review-template': 'admin',
  'GET /api/v1/tickets/:id/post-incident-review': 'agent',
  'POST /api/v1/tickets/:id/post-incident-review': 'agent',
  'PATCH /api/v1/tickets/:id/post-incident-review': 'agent',
  'POST /api/v1/tickets/:id/post-incident-review/transitions': 'agent',
  'GET /api/v1/tickets/:id/post-incident-review.md': 'agent',
  'POST /api/v1/tickets/:id/action-items': 'agent',
  'PATCH /api/v1/action-items/:id': 'agent',
  'GET /api/v1/action-items/mine': 'agent',
  'GET /api/v1/action-items/overdue': 'manager',
  'POST /api/v1/problems': 'agent',
  'PATCH /api/v1/problems/:id': 'agent',
  'PUT /api/v1/problems/:id/known-error': 'agent',
  'DELETE /api/v1/problems/:id/known-error': 'agent',
  'POST /api/v1/problems/:id/incidents': 'agent',
  'DELETE /api/v1/problems/:id/incidents/:incidentId': 'agent',
  // The portal's deflection: anyone signed in, and only the workaround written for requesters comes back.
  'GET /api/v1/known-errors/for-report': 'signed_in',
  // "This solved it" on a known error the portal showed: anyone signed in, like an article's.
  'POST /api/v1/known-errors/:id/solved': 'signed_in',
  // Changes (issue 17): staff record, move and link them; approval is checked per change (named approvers or managers); managers announce maintenance, admins set the approval policy.
  'POST /api/v1/changes': 'agent',
  'GET /api/v1/changes': 'agent',
  'GET /api/v1/changes/:id': 'agent',
  'PATCH /api/v1/changes/:id': 'agent',
  'POST /api/v1/changes/:id/submit': 'agent',
  'POST /api/v1/changes/:id/start': 'agent',
  'POST /api/v1/changes/:id/complete': 'agent',
  'POST /api/v1/changes/:id/cancel': 'agent',
  'POST /api/v1/changes/:id/decision': 'agent',
  'POST /api/v1/changes/:id/links': 'agent',
  'POST /api/v1/changes/:id/maintenance': 'manager',
  'GET /api/v1/settings/change-approval-policy': 'agent',
  'PUT /api/v1/settings/change-approval-policy': 'admin',
  'GET /api/v1/tickets/:id/problem-links': 'agent',
  'GET /api/v1/tickets/:id/known-errors': 'agent',
  'GET /api/v1/tickets/:id/service-impact': 'agent',
  'GET /api/v1/tickets/:id/similar': 'agent',
  'GET /api/v1/business-calendars': 'agent',
  'POST /api/v1/business-calendars': 'admin',
  'PATCH /api/v1/business-calendars/:id': 'admin',
  'GET /api/v1/sla-policies': 'agent',
  'POST /api/v1/sla-policies': 'admin',
  'PATCH /api/v1/sla-policies/:id': 'admin',
  'GET /api/v1/tickets/:id/sla': 'agent',
  'GET /api/v1/tickets/:id/notifications': 'agent',
  'POST /api/v1/tickets/:id/escalations': 'agent',
  'GET /api/v1/jobs/dead': 'admin',
  'POST /api/v1/jobs/dead/retry': 'admin',
  'GET /api/v1/jobs/unsent-mail': 'admin',
  'POST /api/v1/jobs/unsent-mail/send': 'admin',
  'GET /api/v1/features': 'signed_in',
  'GET /api/v1/webhooks': 'admin',
  'POST /api/v1/webhooks': 'admin',
  'DELETE /api/v1/webhooks/:id': 'admin',
  'GET /api/v1/known-issues': 'signed_in',
  'GET /api/v1/known-issues/:id': 'signed_in',
  'POST /api/v1/tickets/:id/confirm-priority': 'agent',
  'GET /api/v1/settings/requester-p1-paging': 'agent',
  'PUT /api/v1/settings/requester-p1-paging': 'admin',
  'GET /api/v1/events': 'signed_in',
  'GET /api/v1/storm-proposals': 'agent',
  'GET /api/v1/storm-proposals/:id': 'agent',
  'POST /api/v1/storm-proposals/:id/dismiss': 'agent',
  'POST /api/v1/storm-proposals/:id/declare': 'agent',
  'GET /api/v1/settings/storm-detection': 'agent',
  'PUT /api/v1/settings/storm-detection': 'admin',
  'PUT /api/v1/services/:id/storm-policy': 'admin',
  'GET /api/v1/settings/storm-policies': 'admin',
  'GET /api/v1/tickets/:id/satisfaction': 'signed_in',
  'PUT /api/v1/tickets/:id/satisfaction': 'signed_in',
  'GET /api/v1/satisfaction-ratings': 'manager',
  'GET /api/v1/reports': 'agent',
  'GET /api/v1/reports/:kpi': 'agent',
  'GET /api/v1/reports/saved': 'agent',
  'POST /api/v1/reports/saved': 'agent',
  'GET /api/v1/reports/saved/:id': 'agent',
  'PUT /api/v1/reports/saved/:id': 'agent',
  'DELETE /api/v1/reports/saved/:id': 'agent',
  'POST /api/v1/routing/suggestions': 'agent',
  'GET /api/v1/routing/model': 'admin',
  'POST /api/v1/routing/model/train': 'admin',
  'GET /api/v1/routing/settings': 'admin',
  'PUT /api/v1/routing/settings': 'admin',
  'POST /api/v1/tickets/:id/assign-fairly': 'agent',
  // The signed, expiring token from the "how did we do?" mail is the credential; GET changes nothing.
  'GET /api/v1/satisfaction/rate': 'public',
  'POST /api/v1/satisfaction/rate': 'public',
  'POST /api/v1/tickets/:id/attachments': 'signed_in',
  'GET /api/v1/me/saved-views': 'agent',
  'POST /api/v1/me/saved-views': 'agent',
  'DELETE /api/v1/me/saved-views/:id': 'agent',
  'GET /api/v1/canned-replies': 'agent',
  'POST /api/v1/canned-replies': 'agent',
  'GET /api/v1/canned-replies/:id': 'agent',
  'PUT /api/v1/canned-replies/:id': 'agent',
  'DELETE /api/v1/canned-replies/:id': 'agent',
  'POST /api/v1/tickets/:id/canned-replies/:replyId/preview': 'agent',
  'POST /api/v1/tickets/:id/canned-replies/:replyId/apply': 'agent',
  'GET /api/v1/automation/rules': 'admin',
  'POST /api/v1/automation/rules': 'admin',
  'POST /api/v1/automation/rules/dry-run': 'admin',
  'POST /api/v1/automation/rules/order': 'admin',
  'GET /api/v1/automation/rules/:id': 'admin',
  'PUT /api/v1/automation/rules/:id': 'admin',
  'DELETE /api/v1/automation/rules/:id': 'admin',
  'GET /api/v1/tickets/:id/attachments': 'signed_in',
  'GET /api/v1/attachments/:id': 'signed_in',
  'GET /api/v1/tickets/:id/emails': 'agent',
  'GET /api/v1/tickets/:id/emails/:emailId/raw': 'agent',
  'GET /api/v1/inbound-emails': 'admin',
  'GET /api/v1/inbound-emails/:id/raw': 'admin',
  'GET /api/v1/schedules': 'agent',
  'POST /api/v1/schedules': 'manager',
  'GET /api/v1/schedules/:id': 'agent',
  'PATCH /api/v1/schedules/:id': 'manager',
  'DELETE /api/v1/schedules/:id': 'manager',
  'GET /api/v1/schedules/:id/on-call': 'agent',
  'GET /api/v1/schedules/:id/shifts': 'agent',
  'GET /api/v1/schedules/:id/overrides': 'agent',
  'POST /api/v1/schedules/:id/overrides': 'manager',
  'DELETE /api/v1/schedules/:id/overrides/:overrideId': 'manager',
  'POST /api/v1/schedules/:id/calendar-feed': 'manager',
  // The feed secret in the URL is the credential (calendar apps send no cookies).
  'GET /api/v1/schedules/:id/calendar.ics': 'public',
  'GET /api/v1/escalation-policies': 'agent',
  'POST /api/v1/escalation-policies': 'manager',
  'GET /api/v1/escalation-policies/:id': 'agent',
  'PATCH /api/v1/escalation-policies/:id': 'manager',
  'POST /api/v1/tickets/:id/pages': 'agent',
  'GET /api/v1/tickets/:id/pages': 'agent',
  'POST /api/v1/pages/:id/acknowledge': 'agent',
  'GET /api/v1/pages/:id': 'agent',
  // The signed, expiring token from the page e-mail is the credential; GET changes nothing.
  'GET /api/v1/pages/acknowledge': 'public',
  'POST /api/v1/pages/acknowledge': 'public',
  'GET /api/v1/me/notifications': 'signed_in',
  'POST /api/v1/me/notifications/read': 'signed_in',
  'GET /api/v1/integrations': 'admin',
  'POST /api/v1/integrations': 'admin',
  'GET /api/v1/integrations/:id': 'admin',
  'PATCH /api/v1/integrations/:id': 'admin',
  'POST /api/v1/integrations/:id/token': 'admin',
  'DELETE /api/v1/integrations/:id': 'admin',
  'POST /api/v1/integrations/:id/alerts': 'integration',
  'POST /api/v1/integrations/pagerduty/v2/enqueue': 'integration',
  'GET /api/v1/refused-alert-deliveries': 'admin',
  'GET /api/v1/alerts': 'agent',
  'GET /api/v1/tickets/:id/alerts': 'agent',
  'POST /api/v1/tickets/:id/promote': 'agent',
  'GET /api/v1/checks': 'agent',
  'POST /api/v1/checks': 'admin',
  'GET /api/v1/checks/:id': 'agent',
  'DELETE /api/v1/checks/:id': 'admin',
  'GET /api/v1/checks/:id/results': 'agent',
  'PATCH /api/v1/checks/:id': 'admin',
  'POST /api/v1/checks/:id/run': 'agent',
  'GET /api/v1/tickets/:id/links': 'signed_in',
  'POST /api/v1/tickets/:id/children': 'agent',
  'DELETE /api/v1/tickets/:id/children/:childId': 'agent',
  'POST /api/v1/tickets/:id/merge': 'agent',
  // Me too: anyone may join a known problem; the service answers 404 for one they may not read.
  'PUT /api/v1/tickets/:id/affected': 'signed_in',
  'GET /api/v1/ticket-numbers/:number': 'agent',
  'POST /api/v1/tickets/:id/scope': 'agent',
  'POST /api/v1/tickets/:id/declare-major': 'agent',
  'GET /api/v1/settings/incident-ownership': 'agent',
  'PUT /api/v1/settings/incident-ownership': 'admin',
  // Knowledge base (issue 17): everyone signed in reads (requesters only published articles for
  // everyone, the service decides); staff write, preview and see the history.
  'GET /api/v1/articles': 'signed_in',
  'GET /api/v1/articles/search': 'signed_in',
  'POST /api/v1/articles': 'agent',
  'POST /api/v1/articles/preview': 'agent',
  'GET /api/v1/articles/:id': 'signed_in',
  'PATCH /api/v1/articles/:id': 'agent',
  'POST /api/v1/articles/:id/transitions': 'agent',
  'GET /api/v1/articles/:id/versions': 'agent',
  'GET /api/v1/articles/:id/versions/:version': 'agent',
  'POST /api/v1/articles/:id/versions/:version/restore': 'agent',
  'POST /api/v1/articles/:id/feedback': 'signed_in',
  'POST /api/v1/articles/:id/solved': 'signed_in',
  'POST /api/v1/tickets/:id/article-draft': 'agent',
  'GET /api/v1/tickets/:id/suggested-articles': 'agent',
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const REFUSALS = [401, 403];

let t: TestApp;
let callers: Record<Role, TestUser>;
let readOnly: { authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  callers = {
    requester: await t.user('requester'),
    agent: await t.user('agent'),
    manager: await t.user('manager'),
    admin: await t.user('admin'),
  };
  // An admin's read-only token: the most privileged user, so only the scope can refuse.
  const { secret } = await createApiToken(t.deps, { id: callers.admin.user.id, role: 'admin' }, { name: 'read-only', scope: 'read' });
  readOnly = { authorization: `Bearer ${secret}` };
});

afterAll(() => t.close());

/** Routes that answer with a stream which stays open: the test ends it once it has begun. */
const STREAMS = new Set(['GET /api/v1/events']);

/** A concrete request for a route: path parameters filled with random ids, a dummy JSON body. */
function requestFor(route: { method: string; url: string }, headers: Record<string, string>) {
  const url = route.url.replace(/:[A-Za-z]+/g, () => randomUUID());
  const hasBody = !SAFE_METHODS.has(route.method) && route.method !== 'DELETE';
  const response = t.app.inject({ method: route.method as 'GET', url, headers, ...(hasBody ? { payload: {} } : {}) });
  if (STREAMS.has(`${route.method} ${route.url}`)) setTimeout(() => t.events.closeAll(), 100);
  return response;
}

describe('the route table', () => {
  it('declares for every route exactly the access the security review expects', async () => {
    const declared = Object.fromEntries(t.app.routeAccess.map((r) => [`${r.method} ${r.url}`, r.access]));
    expect(declared).toEqual(EXPECTED_ACCESS);
    expect(t.app.routeAccess.length).toBe(Object.keys(EXPECTED_ACCESS).length);
  });
});

describe('every route × every caller', () => {
  it('covers at least the routes known when this test was written', () => {
    expect(t.app.routeAccess.length).toBeGreaterThanOrEqual(33);
  });

  it('refuses anonymous callers with 401 problem+json on every route that is not public', async () => {
    const failures: string[] = [];
    for (const route of t.app.routeAccess) {
      const res = await requestFor(route, {});
      const label = `${route.method} ${route.url} [${route.access}] anonymous → ${res.statusCode}`;
      if (route.access === 'public') {
        if (REFUSALS.includes(res.statusCode)) failures.push(`${label} (public route refused)`);
      } else if (route.access === 'metrics') {
        if (res.statusCode !== 404) failures.push(`${label} (expected 404: the scrape hides itself without its token)`);
      } else if (res.statusCode !== 401 || !String(res.headers['content-type']).includes('application/problem+json')) {
        failures.push(`${label} (expected 401 problem+json)`);
      }
    }
    expect(failures).toEqual([]);
  });

  for (const role of ROLES) {
    it(`refuses the ${role} role with 403 below each route's access, and never refuses them at or above it`, async () => {
      const failures: string[] = [];
      for (const route of t.app.routeAccess) {
        const res = await requestFor(route, callers[role].headers);
        const label = `${route.method} ${route.url} [${route.access}] ${role} → ${res.statusCode}`;
        if (route.access === 'integration') {
          // Only an integration's own token opens these: a person's credentials, whatever the role, get 401.
          if (res.statusCode !== 401) failures.push(`${label} (expected 401: people cannot send alerts as an integration)`);
          continue;
        }
        if (route.access === 'metrics') {
          // A person's credentials, whatever the role, are not the scrape token: 404, as if absent.
          if (res.statusCode !== 404) failures.push(`${label} (expected 404: people cannot scrape metrics)`);
          continue;
        }
        const allowed = route.access === 'public' || route.access === 'signed_in' || hasRoleAtLeast(role, route.access as Role);
        if (allowed && REFUSALS.includes(res.statusCode)) failures.push(`${label} (allowed caller refused: ${json(res).detail})`);
        if (!allowed && res.statusCode !== 403) failures.push(`${label} (expected 403)`);
      }
      expect(failures).toEqual([]);
    });
  }

  it('refuses a read-only API token with 403 on every write to a non-public route, and lets it read', async () => {
    const failures: string[] = [];
    for (const route of t.app.routeAccess) {
      const res = await requestFor(route, readOnly);
      const label = `${route.method} ${route.url} [${route.access}] read-only token → ${res.statusCode}`;
      if (route.access === 'integration') {
        if (res.statusCode !== 401) failures.push(`${label} (expected 401: an API token is not an integration token)`);
        continue;
      }
      if (route.access === 'metrics') {
        if (res.statusCode !== 404) failures.push(`${label} (expected 404: an API token is not the metrics token)`);
        continue;
      }
      const write = !SAFE_METHODS.has(route.method);
      if (write && route.access !== 'public') {
        if (res.statusCode !== 403) failures.push(`${label} (expected 403)`);
        else if (!/read-only/.test(json(res).detail)) failures.push(`${label} (403 does not say the token is read-only)`);
      } else if (REFUSALS.includes(res.statusCode)) {
        failures.push(`${label} (read refused)`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('record-level rules for requesters', () => {
  let alice: TestUser;
  let bob: TestUser;
  let agent: TestUser;

  beforeAll(async () => {
    alice = await t.user('requester');
    bob = await t.user('requester');
    agent = await t.user('agent');
  });

  const report = (who: TestUser, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: who.headers, payload });
  const move = (who: TestUser, id: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/transitions`, headers: who.headers, payload });
  const ticketCount = async () => (await t.deps.db.select({ n: count() }).from(tickets))[0].n;

  it("hides another requester's ticket: reading, its timeline, commenting and moving all answer 404", async () => {
    const mine = json(await report(alice, { title: "Alice's monitor flickers" }));
    const base = `/api/v1/tickets/${mine.id}`;
    const unknown = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${randomUUID()}`, headers: bob.headers });
    expect(unknown.statusCode).toBe(404);

    const read = await t.app.inject({ method: 'GET', url: base, headers: bob.headers });
    expect(read.statusCode).toBe(404);
    // Missing and forbidden look the same.
    expect(json(read).detail).toBe(json(unknown).detail);
    expect(read.body).not.toContain("Alice's monitor");

    const timeline = await t.app.inject({ method: 'GET', url: `${base}/timeline`, headers: bob.headers });
    expect(timeline.statusCode).toBe(404);

    const comment = await t.app.inject({
      method: 'POST',
      url: `${base}/comments`,
      headers: bob.headers,
      payload: { body: 'me too', visibility: 'public' },
    });
    expect(comment.statusCode).toBe(404);

    const cancel = await move(bob, mine.id, { to: 'cancelled', reason: 'not mine to cancel' });
    expect(cancel.statusCode).toBe(404);

    const after = json(await t.app.inject({ method: 'GET', url: `${base}/timeline`, headers: agent.headers }));
    expect(after.items.map((e: { type: string }) => e.type)).toEqual(['created']);
    const current = json(await t.app.inject({ method: 'GET', url: base, headers: alice.headers }));
    expect(current.state).toBe('new');
    expect(current.version).toBe(1);
  });

  it("cannot read another requester's local ticket through the known-problem view, which answers like a missing one", async () => {
    const mine = json(await report(alice, { title: "Alice's headset crackles" }));
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/known-issues/${mine.id}`, headers: bob.headers });
    const unknown = await t.app.inject({ method: 'GET', url: `/api/v1/known-issues/${randomUUID()}`, headers: bob.headers });
    expect(read.statusCode).toBe(404);
    expect(json(read).detail).toBe(json(unknown).detail);
    expect(read.body).not.toContain('headset');
  });

  it('cannot PATCH any ticket, not even their own', async () => {
    const mine = json(await report(alice, { title: 'Keyboard sticky' }));
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${mine.id}`,
      headers: alice.headers,
      payload: { impact: 1, urgency: 1 },
    });
    expect(res.statusCode).toBe(403);
    const current = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${mine.id}`, headers: alice.headers }));
    expect(current.impact).toBe(3);
    expect(current.version).toBe(1);
  });

  it('cannot write an internal work note, even on their own ticket', async () => {
    const mine = json(await report(alice, { title: 'Mouse double-clicks' }));
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${mine.id}/comments`,
      headers: alice.headers,
      payload: { body: 'psst, internal', visibility: 'internal' },
    });
    expect(res.statusCode).toBe(403);
    expect(json(res).errors).toContainEqual(expect.objectContaining({ field: 'visibility' }));
    const timeline = json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${mine.id}/timeline`, headers: agent.headers }));
    expect(timeline.items.map((e: { type: string }) => e.type)).toEqual(['created']);
  });

  it('cannot start, hold or resolve a ticket, but can reopen their own resolved ticket', async () => {
    const mine = json(await report(alice, { title: 'Wi-Fi drops in room 4' }));
    const moves = [
      { to: 'in_progress' },
      { to: 'on_hold', onHoldReason: 'awaiting_requester' },
      { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'I fixed it myself' },
    ];
    for (const payload of moves) {
      const res = await move(alice, mine.id, payload);
      expect(res.statusCode, `requester → ${payload.to}`).toBe(403);
    }
    expect(json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${mine.id}`, headers: alice.headers })).state).toBe('new');

    // The desk resolves it; the fix does not hold; the requester reopens it.
    expect((await move(agent, mine.id, { to: 'in_progress' })).statusCode).toBe(200);
    expect((await move(agent, mine.id, { to: 'on_hold', onHoldReason: 'awaiting_vendor' })).statusCode).toBe(200);
    expect((await move(alice, mine.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'x' })).statusCode).toBe(
      403,
    );
    expect((await move(alice, mine.id, { to: 'in_progress' })).statusCode).toBe(403); // resuming is the desk's work
    expect(
      (await move(agent, mine.id, { to: 'resolved', resolutionCode: 'solved_permanently', resolutionNotes: 'New access point' }))
        .statusCode,
    ).toBe(200);

    // Someone else cannot reopen it: to them it does not exist.
    expect((await move(bob, mine.id, { to: 'in_progress', reason: 'still broken' })).statusCode).toBe(404);

    const reopened = await move(alice, mine.id, { to: 'in_progress', reason: 'It dropped again this morning' });
    expect(reopened.statusCode).toBe(200);
    expect(json(reopened).state).toBe('in_progress');
  });

  it('lists only their own tickets, whatever filter they send', async () => {
    await report(alice, { title: 'Alice list check' });
    await report(bob, { title: 'Bob list check' });
    const agentReported = json(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: agent.headers,
        payload: { title: 'Reported by the desk for Bob', requesterId: bob.user.id },
      }),
    );
    expect(agentReported.requester.id).toBe(bob.user.id);

    for (const query of ['', `?requesterId=${bob.user.id}`, '?q=check', '?state=open&limit=200', `?assigneeId=none`]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets${query}`, headers: alice.headers });
      expect(res.statusCode).toBe(200);
      const items = json(res).items as { requester: { id: string }; title: string }[];
      // Asking for Bob's tickets is answered with none of them, not with Bob's tickets.
      if (query.includes('requesterId')) expect(items, `query ${query}`).toEqual([]);
      else expect(items.length, `query ${query || '(none)'}`).toBeGreaterThan(0);
      expect(
        items.every((i) => i.requester.id === alice.user.id),
        `query ${query || '(none)'}`,
      ).toBe(true);
    }
    const bobs = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=200', headers: bob.headers })).items;
    expect(bobs.map((i: { title: string }) => i.title)).toContain('Reported by the desk for Bob');
    expect(bobs.every((i: { requester: { id: string } }) => i.requester.id === bob.user.id)).toBe(true);
  });

  it('cannot set requesterId, teamId or assigneeId when reporting, and nothing is created', async () => {
    const team = json(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/teams',
        headers: callers.admin.headers,
        payload: { name: 'Desk for requester test' },
      }),
    );
    const before = await ticketCount();
    const attempts: [string, Record<string, unknown>][] = [
      ['requesterId', { requesterId: bob.user.id }],
      ['teamId', { teamId: team.id }],
      ['assigneeId', { assigneeId: agent.user.id }],
    ];
    for (const [field, extra] of attempts) {
      const res = await report(alice, { title: 'Sneaky routing', ...extra });
      expect(res.statusCode, field).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).errors).toContainEqual(expect.objectContaining({ field }));
    }
    expect(await ticketCount()).toBe(before);
    // Naming themselves as requester is harmless and allowed.
    const self = await report(alice, { title: 'For myself', requesterId: alice.user.id });
    expect(self.statusCode).toBe(201);
  });

  it('cannot publish a known issue: global scope or a disturbance is refused (403 naming the field), nothing is created or listed', async () => {
    const before = await ticketCount();
    const attempts: [string, Record<string, unknown>][] = [
      ['scope', { scope: 'global' }],
      ['kind', { kind: 'disturbance' }],
      ['scope', { kind: 'service_request', scope: 'global' }],
    ];
    for (const [field, extra] of attempts) {
      const res = await report(alice, { title: 'Everyone: sign in again at evil.example', ...extra });
      expect(res.statusCode, field).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).errors).toContainEqual(expect.objectContaining({ field, message: expect.stringMatching(/staff/) }));
    }
    expect(await ticketCount()).toBe(before);
    const known = json(await t.app.inject({ method: 'GET', url: '/api/v1/known-issues', headers: bob.headers }));
    expect(JSON.stringify(known)).not.toContain('evil.example');
    // What a requester may report stays open to them; the desk may announce.
    expect((await report(alice, { title: 'A request', kind: 'service_request', scope: 'local' })).statusCode).toBe(201);
    expect((await report(agent, { title: 'Mail is down for everyone', scope: 'global' })).statusCode).toBe(201);
    expect((await report(agent, { title: 'Odd latency', kind: 'disturbance' })).statusCode).toBe(201);
  });

  it('cannot read another person, but can read themselves', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/users/${bob.user.id}`, headers: alice.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/users/${alice.user.id}`, headers: alice.headers })).statusCode).toBe(200);
  });
});

describe('configuration is for admins', () => {
  it('refuses agents and managers a valid configuration change with 403, and changes nothing', async () => {
    const admin = callers.admin;
    const team = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: 'Config owners' } }),
    );
    const changes = [
      { method: 'POST', url: '/api/v1/users', payload: { email: `new-${randomUUID()}@example.test`, name: 'New Person', role: 'agent' } },
      { method: 'POST', url: '/api/v1/teams', payload: { name: 'Shadow team' } },
      { method: 'POST', url: '/api/v1/services', payload: { name: 'Shadow service', ownerTeamId: team.id } },
      { method: 'POST', url: '/api/v1/categories', payload: { name: 'Shadow category' } },
      {
        method: 'PUT',
        url: '/api/v1/priority-matrix',
        payload: {
          matrix: [
            [1, 1, 1],
            [1, 1, 1],
            [1, 1, 1],
          ],
        },
      },
      { method: 'PATCH', url: `/api/v1/teams/${team.id}`, payload: { name: 'Renamed by an agent' } },
      { method: 'PATCH', url: `/api/v1/users/${callers.requester.user.id}`, payload: { role: 'admin' } },
    ] as const;
    const snapshot = async () =>
      Promise.all(
        ['/api/v1/users?limit=200', '/api/v1/teams', '/api/v1/services', '/api/v1/categories', '/api/v1/priority-matrix'].map(
          async (url) => (await t.app.inject({ method: 'GET', url, headers: admin.headers })).body,
        ),
      );
    const before = await snapshot();
    for (const who of [callers.agent, callers.manager]) {
      for (const change of changes) {
        const res = await t.app.inject({ method: change.method, url: change.url, headers: who.headers, payload: change.payload });
        expect(res.statusCode, `${who.user.role} ${change.method} ${change.url}`).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('keeps webhook URLs (a chat webhook’s secret) from everyone but admins, also in a ticket’s delivery log (issue 11, finding 8)', async () => {
    const url = `https://chat.example.test/hooks/${randomUUID()}`;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: callers.admin.headers,
      payload: { name: 'Desk channel', url, format: 'slack', eventTypes: ['created'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const ticket = json(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: callers.agent.headers,
        payload: { title: 'Badge reader down' },
      }),
    );
    for (const who of [callers.agent, callers.manager, callers.admin]) {
      const log = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/notifications`, headers: who.headers });
      expect(log.statusCode).toBe(200);
      const [hook] = json(log).items.filter((d: { channel: string }) => d.channel === 'webhook');
      expect(hook, who.user.role).toMatchObject({ webhookName: 'Desk channel', address: who === callers.admin ? url : 'Desk channel' });
      if (who !== callers.admin) expect(log.body).not.toContain(url);
    }
    await t.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${json(created).id}`, headers: callers.admin.headers });
  });
});

describe('API tokens for other users', () => {
  it('only admins can create a token that acts as someone else', async () => {
    const agent = await t.user('agent');
    const other = await t.user('agent');
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: agent.headers,
      payload: { name: 'impersonate', userId: other.user.id },
    });
    expect(refused.statusCode).toBe(403);
    expect(json(refused).errors).toContainEqual(expect.objectContaining({ field: 'userId' }));
    const managerRefused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: callers.manager.headers,
      payload: { name: 'impersonate', userId: other.user.id },
    });
    expect(managerRefused.statusCode).toBe(403);
    const othersTokens = json(await t.app.inject({ method: 'GET', url: '/api/v1/api-tokens', headers: other.headers })).items;
    expect(othersTokens.map((tok: { name: string }) => tok.name)).not.toContain('impersonate');

    const own = await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: agent.headers, payload: { name: 'mine' } });
    expect(own.statusCode).toBe(201);
    expect(json(own).userId).toBe(agent.user.id);

    const byAdmin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: callers.admin.headers,
      payload: { name: 'integration', userId: other.user.id },
    });
    expect(byAdmin.statusCode).toBe(201);
    expect(json(byAdmin).userId).toBe(other.user.id);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${json(byAdmin).token}` } });
    expect(json(me).id).toBe(other.user.id);
  });

  it("does not let a non-admin revoke someone else's token (404), and the token keeps working", async () => {
    const owner = await t.user('agent');
    const intruder = await t.user('agent');
    const created = json(
      await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: owner.headers, payload: { name: 'ci' } }),
    );
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${created.id}`, headers: intruder.headers });
    expect(res.statusCode).toBe(404);
    const stillWorks = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${created.token}` } });
    expect(stillWorks.statusCode).toBe(200);
  });
});

describe('security review (issue 11): the edge refuses before any route decides', () => {
  it('with a Host allow-list, answers no route but health for a name it does not serve, whoever calls', async () => {
    const guarded = await createTestApp({ config: { allowedHosts: ['help.example.com'] } });
    try {
      const admin = await guarded.user('admin');
      const failures: string[] = [];
      for (const route of guarded.app.routeAccess) {
        const url = route.url.replace(/:[A-Za-z]+/g, () => randomUUID());
        const hasBody = !SAFE_METHODS.has(route.method) && route.method !== 'DELETE';
        const res = await guarded.app.inject({
          method: route.method as 'GET',
          url,
          headers: { ...admin.headers, host: 'rebound.attacker.example' },
          ...(hasBody ? { payload: {} } : {}),
        });
        const label = `${route.method} ${route.url} → ${res.statusCode}`;
        if (ANY_HOST_PATHS.has(route.url)) {
          // Probes and scrapes ask by address; /metrics still hides without its token.
          const expected = route.access === 'metrics' ? 404 : 200;
          if (res.statusCode !== expected) failures.push(`${label} (answers any name: expected ${expected})`);
        } else if (res.statusCode !== 400 || json(res).errors?.[0]?.field !== 'Host') {
          failures.push(`${label} (expected 400 naming Host)`);
        }
      }
      expect(failures).toEqual([]);
    } finally {
      await guarded.close();
    }
  });

  it("does not read a requester's upload to a ticket they cannot see byte by byte: 404, whatever the bytes", async () => {
    const file = Buffer.alloc(1024 * 1024); // NUL bytes throughout, as binary files have
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${randomUUID()}/attachments`,
      headers: { ...callers.requester.headers, 'content-type': 'application/octet-stream', 'x-filename': 'dump.bin' },
      payload: file,
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('passwords', () => {
  it('lets only admins reset a password, and a non-admin’s attempt changes nothing', async () => {
    const person = await t.user('agent', { password: 'correct horse battery staple' });
    for (const role of ['requester', 'agent', 'manager'] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/users/${person.user.id}/password-reset`,
        headers: callers[role].headers,
        payload: {},
      });
      expect(res.statusCode).toBe(403);
    }
    // Their token still works: nothing was reset or revoked.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: person.headers })).statusCode).toBe(200);
  });

  it('changes only the caller’s own password: the body names no person', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: callers.requester.headers,
      payload: { userId: callers.admin.user.id, currentPassword: 'x', newPassword: 'a long enough passphrase' },
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors).toContainEqual({ field: 'userId', message: 'is not a known field' });
  });
});

describe('access follows the current role', () => {
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });

  it('takes a ticket away from a former agent who logged it for someone else; its requester keeps it', async () => {
    const agent = await t.user('agent');
    const requester = await t.user('requester');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: agent.headers,
      payload: { title: 'Logged on the phone for a colleague', requesterId: requester.user.id },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = json(created).id;
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${agent.user.id}`,
          headers: callers.admin.headers,
          payload: { role: 'requester' },
        })
      ).statusCode,
    ).toBe(200);

    expect((await get(`/api/v1/tickets/${id}`, agent.headers)).statusCode).toBe(404);
    expect((await get(`/api/v1/tickets/${id}/timeline`, agent.headers)).statusCode).toBe(404);
    expect(json(await get('/api/v1/tickets', agent.headers)).items.map((i: { id: string }) => i.id)).not.toContain(id);
    const comment = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${id}/comments`,
      headers: agent.headers,
      payload: { body: 'still here?', visibility: 'public' },
    });
    expect(comment.statusCode).toBe(404);
    expect((await get(`/api/v1/tickets/${id}`, requester.headers)).statusCode).toBe(200);
  });
});
