import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Items } from '../../../../core/contracts/common.js';
import { HtmlOrProblem } from '../../../../core/contracts/on-call.js';
import {
  CreatedStatusWebhookSubscription,
  CreateStatusWebhookSubscription,
  StatusLinkQuery,
  StatusWebhookSubscription,
  SubscribeBody,
  SubscribeResult,
  SubscriberCounts,
} from '../../../../core/contracts/status-subscriptions.js';
import { AppError } from '../../../../core/errors.js';
import { getStatusPageSettings } from '../../services/status-page.service.js';
import {
  confirmSubscription,
  countSubscribers,
  createStatusWebhook,
  describeStatusLink,
  LINK_NOT_VALID,
  listStatusWebhooks,
  listSubscribableComponents,
  removeStatusWebhook,
  subscribeByEmail,
  unsubscribeByLink,
} from '../../services/status-subscriptions.service.js';
import { actorOf } from '../plugins/authentication.js';
import { renderLinkButton, renderNotice, renderSubscribeForm, SUBSCRIBE_CSS } from '../presenters/status-subscriptions.html.js';
import { presentStatusWebhook } from '../presenters/status-subscriptions.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/** A page for people (forms, mail clients' one-click POST), or JSON for a caller that sent JSON. */
const LinkAnswer = z.union([z.string(), z.object({ email: z.string(), state: z.string() })]);
const wantsJson = (headers: { 'content-type'?: string }) => String(headers['content-type'] ?? '').startsWith('application/json');

/** Like the status page: no script, only our own stylesheets, forms post only here. */
const PAGE_CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Status page subscriptions (issue 15 #3). Public: the subscribe form and the pages behind the
 * signed links in mails (the token is the credential). Staff: subscriber counts (agents) and
 * webhook subscribers (managers and admins).
 */
export async function statusSubscriptionRoutes(app: Api, deps: RouteDeps): Promise<void> {
  const pageName = async () => (await getStatusPageSettings(deps.db)).name;
  const sendPage = (reply: FastifyReply, text: string, status = 200) =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      // Pages behind signed links must not be kept or leak their token to other sites; same-origin
      // (not no-referrer) so the button's POST still carries its Origin for the CSRF check.
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'same-origin')
      .header('content-security-policy', PAGE_CSP)
      .send(text);
  const htmlPage = { config: { access: 'public' as const }, schema: { hide: true } };
  const components = async () => (await listSubscribableComponents(deps.db)).map((c) => ({ id: c.id, name: c.name }));

  app.get('/status/subscribe', htmlPage, async (_request, reply) =>
    sendPage(reply, renderSubscribeForm(await pageName(), await components())),
  );
  app.get('/status/subscribe.css', htmlPage, (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(SUBSCRIBE_CSS),
  );

  for (const what of ['confirm', 'unsubscribe'] as const) {
    app.get(
      `/status/${what}`,
      {
        config: { access: 'public' },
        schema: {
          tags: ['status page'],
          summary:
            what === 'confirm'
              ? 'The page behind the link in a confirmation mail: a button that confirms (the GET changes nothing)'
              : 'The page behind the unsubscribe link in a status mail: a button that unsubscribes (the GET changes nothing)',
          querystring: StatusLinkQuery,
          security: [],
          response: { 200: HtmlOrProblem, 400: HtmlOrProblem },
        },
      },
      async (request, reply) => {
        const name = await pageName();
        try {
          const { email } = await describeStatusLink(deps, request.query.token, what);
          return sendPage(reply, renderLinkButton(name, what, email, request.query.token));
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          return sendPage(reply, renderNotice(name, 'This link does not work', LINK_NOT_VALID, 'problem'), 400);
        }
      },
    );
  }

  await app.register(async (scoped) => {
    // The forms post urlencoded; RFC 8058's one-click POST may come as either form type. Only
    // these routes read them. The link routes ignore the body: the token in the address decides.
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      const form = new URLSearchParams(String(body));
      done(null, { email: form.get('email') ?? '', components: form.get('scope') === 'some' ? form.getAll('component') : 'all' });
    });
    scoped.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, {}));
    const api = scoped.withTypeProvider<ZodTypeProvider>();

    api.post(
      '/status/subscribe',
      {
        config: { access: 'public' },
        schema: {
          tags: ['status page'],
          summary: 'Subscribe an e-mail address to status updates (the form, or JSON); a confirmation link is mailed first',
          description:
            'Double opt-in: nothing is sent but the confirmation mail until its link is followed. Subscribing a confirmed address again replaces its choice of components and needs no new confirmation. The address is stored trimmed and lower-cased.',
          body: SubscribeBody,
          security: [],
          response: { 200: SubscribeResult, 202: SubscribeResult, ...problems(400, 415) },
        },
      },
      async (request, reply) => {
        const wantsHtml = String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
        try {
          const outcome = await subscribeByEmail(deps, request.body);
          if (!wantsHtml) return reply.status(outcome.state === 'already_confirmed' ? 200 : 202).send(outcome);
          const title = outcome.state === 'already_confirmed' ? 'You are already subscribed' : 'Check your mail';
          return sendPage(reply, renderNotice(await pageName(), title, outcome.message));
        } catch (err) {
          if (!wantsHtml || !(err instanceof AppError)) throw err;
          const problem = err.errors
            .map((e) => (e.field === 'email' ? `Check the e-mail address: it ${e.message}.` : `Services: ${e.message}.`))
            .join(' ');
          return sendPage(
            reply,
            renderSubscribeForm(await pageName(), await components(), { ...request.body, error: problem || err.message }),
            err.status,
          );
        }
      },
    );

    api.post(
      '/status/confirm',
      {
        config: { access: 'public' },
        schema: {
          tags: ['status page'],
          summary: 'Confirm an e-mail subscription with the signed token from the confirmation mail',
          querystring: StatusLinkQuery,
          security: [],
          response: { 200: LinkAnswer, 400: HtmlOrProblem, 404: HtmlOrProblem },
        },
      },
      async (request, reply) => {
        const name = await pageName();
        try {
          const { email, state } = await confirmSubscription(deps, request.query.token);
          if (wantsJson(request.headers)) return { email, state };
          return state === 'confirmed'
            ? sendPage(reply, renderNotice(name, 'Subscription confirmed', `${email} will get an e-mail for every status update.`))
            : sendPage(reply, renderNotice(name, 'Already confirmed', `${email} is already subscribed: there is nothing more to do.`));
        } catch (err) {
          if (!(err instanceof AppError) || wantsJson(request.headers)) throw err;
          const title = err.code === 'not_found' ? 'No such subscription' : 'This link does not work';
          return sendPage(reply, renderNotice(name, title, err.message, 'problem'), err.status);
        }
      },
    );

    api.post(
      '/status/unsubscribe',
      {
        config: { access: 'public' },
        schema: {
          tags: ['status page'],
          summary: 'One-click unsubscribe (RFC 8058): the List-Unsubscribe address of every status mail; no further question',
          querystring: StatusLinkQuery,
          security: [],
          response: { 200: LinkAnswer, 400: HtmlOrProblem },
        },
      },
      async (request, reply) => {
        const name = await pageName();
        try {
          const { email, state } = await unsubscribeByLink(deps, request.query.token);
          if (wantsJson(request.headers)) return { email, state };
          return sendPage(
            reply,
            state === 'unsubscribed'
              ? renderNotice(
                  name,
                  'Unsubscribed',
                  `${email} will get no more status updates. You can subscribe again from the status page.`,
                )
              : renderNotice(name, 'Not subscribed', `${email} is not subscribed (any more): no status updates are sent to it.`),
          );
        } catch (err) {
          if (!(err instanceof AppError) || wantsJson(request.headers)) throw err;
          return sendPage(reply, renderNotice(name, 'This link does not work', LINK_NOT_VALID, 'problem'), 400);
        }
      },
    );
  });

  app.get(
    '/api/v1/status-page/subscribers',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['status page'],
        summary: 'How many confirmed subscribers hear of news on each public component (e-mail and webhook)',
        response: { 200: SubscriberCounts, ...problems(401, 403) },
      },
    },
    async () => countSubscribers(deps.db),
  );
  app.get(
    '/api/v1/status-page/webhook-subscriptions',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['status page'],
        summary: 'Webhooks that receive status page news',
        response: { 200: Items(StatusWebhookSubscription), ...problems(401, 403) },
      },
    },
    async () => ({ items: (await listStatusWebhooks(deps.db)).map(presentStatusWebhook) }),
  );
  app.post(
    '/api/v1/status-page/webhook-subscriptions',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['status page'],
        summary: 'Send status page news (incident started, update, resolved) to a webhook; its signing secret is in this response only',
        description:
          'Each piece of news is POSTed as JSON ({ type: "incident.update" | "incident.started" | "incident.resolved", announcement, incident, componentIds, deliveryId }) signed like the desk webhooks: X-Firebreak-Timestamp and X-Firebreak-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body)). components: "all" or public component ids.',
        body: CreateStatusWebhookSubscription,
        response: { 201: CreatedStatusWebhookSubscription, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const { subscriber, secret } = await createStatusWebhook(deps, actorOf(request), request.body);
      return reply.status(201).send({ ...presentStatusWebhook(subscriber), secret });
    },
  );
  app.delete(
    '/api/v1/status-page/webhook-subscriptions/:id',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['status page'],
        summary: 'Stop sending status page news to a webhook',
        params: IdParams,
        response: { 200: StatusWebhookSubscription, ...problems(401, 403, 404) },
      },
    },
    async (request) => presentStatusWebhook(await removeStatusWebhook(deps.db, request.params.id)),
  );
}
