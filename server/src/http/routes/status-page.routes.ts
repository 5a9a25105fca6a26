import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { IdParams, NoContent } from '../../../../core/contracts/common.js';
import {
  FeedQuery,
  SetStatusOverride,
  StatusComponents,
  StatusIncidents,
  StatusMaintenances,
  StatusPageLogo,
  StatusPageLogoBody,
  StatusPageLogoState,
  StatusPageSettingsBody,
  StatusStatus,
  StatusSummary,
} from '../../../../core/contracts/status-page.js';
import { AppError } from '../../../../core/errors.js';
import {
  clearStatusOverride,
  getStatusPageSettings,
  type StatusPage,
  setStatusOverride,
  setStatusPageSettings,
} from '../../services/status-page.service.js';
import { getLogo, getLogoMeta, removeLogo, setLogo } from '../../services/status-page-logo.service.js';
import { actorOf } from '../plugins/authentication.js';
import { type PrecomputedBody, sendPrecomputed } from '../precomputed-response.js';
import { renderAtom, renderRss } from '../presenters/status-page.feeds.js';
import {
  renderHistory,
  renderIncident,
  renderMaintenance,
  renderNotFound,
  renderUptimeSvg,
  STATUS_PAGE_CSS,
} from '../presenters/status-page.html.js';
import {
  maintenanceDocument,
  presentComponent,
  presentIncident,
  presentMaintenance,
  presentPageRef,
} from '../presenters/status-page.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';
import type { StatusPageRenderings } from '../status-page-renderings.js';

/** The pages run no script and load only their own stylesheet. */
const STATUS_PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The public status page (issue 15): no sign-in, server-rendered HTML with no script, and the
 * same facts as JSON in Statuspage's public API v2 shapes. Only what an admin made public shows:
 * services marked for the page, and global or major incidents on them with the desk's public words.
 */
export function statusPageRoutes(
  app: Api,
  deps: RouteDeps,
  status: { readStatusPage: () => Promise<StatusPage>; renderings: StatusPageRenderings },
): void {
  const read = status.readStatusPage;
  const { once } = status.renderings;

  const htmlHeaders = (reply: FastifyReply, status: number) =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', STATUS_PAGE_CSP);
  const sendHtml = (reply: FastifyReply, text: string, status = 200) => htmlHeaders(reply, status).send(text);
  const sendPage = (request: FastifyRequest, reply: FastifyReply, body: PrecomputedBody) =>
    sendPrecomputed(request, htmlHeaders(reply, 200), body);
  const htmlPage = { config: { access: 'public' as const }, schema: { hide: true } };
  const json = (summary: string, response: z.ZodType) => ({
    config: { access: 'public' as const },
    schema: { tags: ['status page'], summary, response: { 200: response } },
  });

  app.get('/status', htmlPage, async (request, reply) => {
    const page = await read();
    return sendPage(request, reply, status.renderings.page(page));
  });
  // The logo: an image that can only be shown (the type its bytes proved, no sniffing by the
  // browser, a policy under which nothing in it could run), cached until a new one is set.
  app.get('/status/logo', htmlPage, async (_request, reply) => {
    const { meta, bytes } = await getLogo(deps.db);
    return reply
      .type(meta.mediaType)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'public, max-age=300')
      .header('etag', `"${meta.sha256}"`)
      .send(bytes);
  });
  app.get('/status/history', htmlPage, async (request, reply) => {
    const page = await read();
    return sendPage(
      request,
      reply,
      once(page, 'history', () => renderHistory(page)),
    );
  });
  app.get('/status/incidents/:id', htmlPage, async (request, reply) => {
    const page = await read();
    const { id } = request.params as { id: string };
    const incident = [...page.activeIncidents, ...page.pastIncidents].find((i) => i.id === id);
    return incident ? sendHtml(reply, renderIncident(page, incident)) : sendHtml(reply, renderNotFound(page), 404);
  });
  app.get('/status/maintenance/:id', htmlPage, async (request, reply) => {
    const page = await read();
    const { id } = request.params as { id: string };
    const window = [...page.activeMaintenance, ...page.upcomingMaintenance, ...page.pastMaintenance].find((m) => m.id === id);
    return window ? sendHtml(reply, renderMaintenance(page, window)) : sendHtml(reply, renderNotFound(page), 404);
  });
  app.get('/status/uptime/:id.svg', htmlPage, async (request, reply) => {
    const page = await read();
    const { id } = request.params as { id: string };
    const component = page.components.find((c) => c.id === id);
    if (!component) return reply.status(404).type('text/plain; charset=utf-8').send('No such component on the status page');
    return sendPrecomputed(
      request,
      reply
        .type('image/svg+xml')
        // The page links each version by its own address (?v=…): a browser may keep it.
        .header('cache-control', 'public, max-age=3600')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'"),
      once(page, `svg:${id}`, () => renderUptimeSvg(component)),
    );
  });
  for (const [format, type, render] of [
    ['rss', 'application/rss+xml; charset=utf-8', renderRss],
    ['atom', 'application/atom+xml; charset=utf-8', renderAtom],
  ] as const) {
    app.get(
      `/status/feed.${format}`,
      {
        config: { access: 'public' as const },
        schema: {
          tags: ['status page'],
          summary: `The status page's incidents and updates as ${format === 'rss' ? 'RSS 2.0' : 'Atom'}, newest first (?component= for one service)`,
          querystring: FeedQuery,
        },
      },
      async (request, reply) => {
        const page = await read();
        const componentId = request.query.component ?? null;
        if (componentId && !page.components.some((c) => c.id === componentId)) {
          throw new AppError('not_found', 'No such service on the status page', {
            errors: [{ field: 'component', message: 'is not shown on the status page' }],
          });
        }
        return sendPrecomputed(
          request,
          reply.type(type).header('cache-control', 'no-cache'),
          once(page, `${format}:${componentId ?? ''}`, () => render(page, deps.publicUrl, componentId)),
        );
      },
    );
  }
  app.get('/status/status.css', htmlPage, (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STATUS_PAGE_CSS),
  );

  // The documents are serialised once per page computation and sent as they are (Fastify does
  // not serialise a string again); their shapes are the response schemas, checked by the tests.
  const sendDocument = async (request: FastifyRequest, reply: FastifyReply, body: PrecomputedBody) =>
    sendPrecomputed(request, reply.type('application/json; charset=utf-8'), body);
  const document = (key: string, present: (page: StatusPage) => unknown) => async (request: FastifyRequest, reply: FastifyReply) => {
    const page = await read();
    return sendDocument(
      request,
      reply,
      once(page, key, () => JSON.stringify(present(page))),
    );
  };
  app.get(
    '/status/api/v2/summary.json',
    json('Statuspage v2: page, status, components, unresolved incidents, maintenance', StatusSummary),
    async (request, reply) => sendDocument(request, reply, status.renderings.summary(await read())),
  );
  app.get(
    '/status/api/v2/status.json',
    json('Statuspage v2: the overall status', StatusStatus),
    document('status', (page) => ({
      page: presentPageRef(page, deps.publicUrl),
      status: { indicator: page.indicator, description: page.description },
    })),
  );
  app.get(
    '/status/api/v2/components.json',
    json('Statuspage v2: every public component and its status', StatusComponents),
    document('components', (page) => ({ page: presentPageRef(page, deps.publicUrl), components: page.components.map(presentComponent) })),
  );
  app.get(
    '/status/api/v2/incidents.json',
    json('Statuspage v2: incidents of the last 90 days, newest first', StatusIncidents),
    document('incidents', (page) => ({
      page: presentPageRef(page, deps.publicUrl),
      incidents: [...page.activeIncidents, ...page.pastIncidents]
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map((i) => presentIncident(i, deps.publicUrl)),
    })),
  );
  app.get(
    '/status/api/v2/incidents/unresolved.json',
    json('Statuspage v2: incidents not yet resolved', StatusIncidents),
    document('unresolved', (page) => ({
      page: presentPageRef(page, deps.publicUrl),
      incidents: page.activeIncidents.map((i) => presentIncident(i, deps.publicUrl)),
    })),
  );
  for (const which of ['', '/upcoming', '/active'] as const) {
    app.get(
      `/status/api/v2/scheduled-maintenances${which}.json`,
      json(`Statuspage v2: scheduled maintenance${which ? ` (${which.slice(1)})` : ''}`, StatusMaintenances),
      document(`maintenance${which}`, (page) => ({
        page: presentPageRef(page, deps.publicUrl),
        scheduled_maintenances: maintenanceDocument(page, which).map((m) => presentMaintenance(m, deps.publicUrl)),
      })),
    );
  }

  app.put(
    '/api/v1/status-page/components/:id/override',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['status page'],
        summary: "Set a public component's status by hand until a time (it overrides what the incidents say)",
        params: IdParams,
        body: SetStatusOverride,
        response: { 204: NoContent, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const { status, until, reason } = request.body;
      await setStatusOverride(deps, actorOf(request), request.params.id, { status, until: new Date(until), reason });
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/api/v1/status-page/components/:id/override',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['status page'],
        summary: "End a component's manual status: its incidents decide again",
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await clearStatusOverride(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/v1/status-page/settings',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['status page'],
        summary: "The status page's settings: the organisation's name, and how long the automatic first notice to subscribers waits",
        response: { 200: StatusPageSettingsBody, ...problems(401, 403) },
      },
    },
    async () => getStatusPageSettings(deps.db),
  );
  app.get(
    '/api/v1/status-page/logo',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['status page'],
        summary: "The organisation's logo on /status: its type, size and address, or null when there is none",
        response: { 200: StatusPageLogoState, ...problems(401, 403) },
      },
    },
    async () => {
      const meta = await getLogoMeta(deps.db);
      return { logo: meta ? { ...meta, url: `/status/logo?v=${meta.sha256.slice(0, 16)}` } : null };
    },
  );
  app.put(
    '/api/v1/status-page/logo',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['status page'],
        summary: "Set the organisation's logo on /status (admins): a PNG, JPEG or WebP image of at most 256 KB, in base64; SVG is refused",
        body: StatusPageLogoBody,
        response: { 200: StatusPageLogo, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const meta = await setLogo(deps, actorOf(request), request.body.image);
      return { ...meta, url: `/status/logo?v=${meta.sha256.slice(0, 16)}` };
    },
  );
  app.delete(
    '/api/v1/status-page/logo',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['status page'],
        summary: 'Remove the logo (admins): the page shows the name alone',
        response: { 204: NoContent, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      await removeLogo(deps, actorOf(request));
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/api/v1/status-page/settings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['status page'],
        summary: "Change the status page's settings (admins); a setting left out keeps its value",
        body: StatusPageSettingsBody,
        response: { 200: StatusPageSettingsBody, ...problems(400, 401, 403) },
      },
    },
    async (request) => setStatusPageSettings(deps, actorOf(request), request.body),
  );
}
