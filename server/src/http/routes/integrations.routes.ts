import { adaptPayload } from '../../../../core/alerts/adapters.js';
import {
  CreatedIntegration,
  CreateIntegration,
  DeliveryAccepted,
  Integration,
  PagerDutyResponse,
  UpdateIntegration,
} from '../../../../core/contracts/alerts.js';
import { IdParams, IfMatchHeaders, Items } from '../../../../core/contracts/common.js';
import type { FieldError } from '../../../../core/errors.js';
import { AppError } from '../../../../core/errors.js';
import type { AlertGroupCommit } from '../../services/alert-group-commit.js';
import type { IntegrationAuthenticator } from '../../services/integration-authenticator.js';
import {
  changeIntegration,
  createIntegration,
  getIntegration,
  listIntegrations,
  revokeIntegration,
  rotateIntegrationToken,
} from '../../services/integrations.service.js';
import type { RefusedAlertRecorder } from '../plugins/refused-alert-recorder.js';
import {
  alertsPathOf,
  presentCreatedIntegration,
  presentIngested,
  presentIntegration,
  presentPagerDutyAccepted,
} from '../presenters/integrations.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

function refuse(errors: FieldError[]): never {
  throw new AppError('validation_failed', `The payload is not a valid alert: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, {
    errors,
  });
}

const INGEST_DESCRIPTION =
  "Authenticated only by the integration's own token (Authorization: Bearer <token>); unknown or revoked tokens get 401. The body is the source's own payload: generic JSON ({summary, status, severity, fingerprint, labels, url} or {alerts:[…]}), an Alertmanager webhook (version 4, older payloads too), a Grafana alerting webhook, or a PagerDuty Events v2 event. A malformed or wrong-source payload gets 400 problem+json naming what is wrong, and is kept for the admin (GET /refused-alert-deliveries). Answered 202 only after the alerts are committed.";

/**
 * The intake routes log warnings and errors only, not a line per request: an alert storm would
 * otherwise write two log lines per delivery. What arrived is on record anyway — the alerts
 * with their counts, the integration's last alert time, and refused deliveries for the admin.
 */
const INTAKE_LOG_LEVEL = 'warn';

/** The long-lived parts of alert intake, built once in app.ts (they hold state across requests). */
export interface AlertIntake {
  /** Concurrent deliveries share commits (see alert-group-commit.ts). */
  commits: Pick<AlertGroupCommit, 'submit'>;
  /** Recognises a token sent in the body (PagerDuty's routing_key). */
  integrationAuthenticator: Pick<IntegrationAuthenticator, 'authenticate'>;
  /** Keeps refused deliveries for the admin (GET /refused-alert-deliveries), decided where the 4xx is. */
  recordRefusal: RefusedAlertRecorder;
}

export function integrationRoutes(app: Api, deps: RouteDeps, intake: AlertIntake): void {
  const { commits, recordRefusal } = intake;

  app.get(
    '/api/v1/integrations',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Monitoring integrations',
        response: { 200: Items(Integration), ...problems(401, 403) },
      },
    },
    async () => ({ items: (await listIntegrations(deps.db)).map(presentIntegration) }),
  );
  app.post(
    '/api/v1/integrations',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Add a monitoring integration; its token is in this response only',
        description:
          'rules are ordered; the first whose match (labels, severity) fits an alert decides: ignore, disturbance or incident (with serviceId, teamId, impact, urgency, autoResolve, groupBy, groupWindowMinutes, promoteAfter). With no rules, alerts open incidents (impact 2) that resolve with their alerts. resolveDelayMinutes: an alert must stay resolved this long before its ticket is resolved (flapping guard; 0 resolves at once).',
        body: CreateIntegration,
        response: { 201: CreatedIntegration, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const { integration, token } = await createIntegration(deps, request.body);
      return reply
        .status(201)
        .header('location', `/api/v1/integrations/${integration.id}`)
        .send(presentCreatedIntegration(integration, token));
    },
  );
  app.get(
    '/api/v1/integrations/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'One integration',
        params: IdParams,
        response: { 200: Integration, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const integration = await getIntegration(deps.db, request.params.id);
      return reply.header('etag', etag(integration.version)).send(presentIntegration(integration));
    },
  );
  app.patch(
    '/api/v1/integrations/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Rename, replace the routing rules, or change the resolve delay',
        description:
          'Send If-Match with the version (ETag) you read: an integration changed by someone else since then is refused with 412.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateIntegration,
        response: { 200: Integration, ...problems(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const saved = await changeIntegration(deps, request.params.id, request.body, expectedVersion(request.headers['if-match']));
      return reply.header('etag', etag(saved.version)).send(presentIntegration(saved));
    },
  );
  app.post(
    '/api/v1/integrations/:id/token',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Replace the token (the old one stops working at once); the new one is in this response only',
        params: IdParams,
        response: { 200: CreatedIntegration, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { integration, token } = await rotateIntegrationToken(deps, request.params.id);
      return presentCreatedIntegration(integration, token);
    },
  );
  app.delete(
    '/api/v1/integrations/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Revoke an integration: its token gets 401 from now on; its alerts and tickets stay',
        params: IdParams,
        response: { 200: Integration, ...problems(401, 403, 404) },
      },
    },
    async (request) => presentIntegration(await revokeIntegration(deps, request.params.id)),
  );

  app.post(
    '/api/v1/integrations/:id/alerts',
    {
      config: { access: 'integration', keepRawBody: true, repairsLoneSurrogates: true },
      logLevel: INTAKE_LOG_LEVEL,
      onSend: recordRefusal,
      schema: {
        tags: ['alerts'],
        summary: 'Send alerts (Alertmanager, Grafana, PagerDuty Events v2 or generic JSON)',
        description: INGEST_DESCRIPTION,
        params: IdParams,
        security: [{ token: [] }],
        response: { 202: DeliveryAccepted, ...problems(400, 401, 413, 415) },
      },
    },
    async (request, reply) => {
      const integration = request.integration;
      // The token names the integration; a path naming another one is refused like a bad token.
      if (!integration || integration.id !== request.params.id) {
        throw new AppError('unauthenticated', 'The integration token is not valid for this integration.');
      }
      const result = adaptPayload(integration.source, request.body, deps.clock.now());
      if (!result.ok) refuse(result.errors);
      const ingested = await commits.submit(integration, result.alerts);
      return reply.status(202).send(integration.source === 'pagerduty' ? presentPagerDutyAccepted(ingested) : presentIngested(ingested));
    },
  );

  app.post(
    '/api/v1/integrations/pagerduty/v2/enqueue',
    {
      config: { access: 'integration', tokenInBody: true, keepRawBody: true, repairsLoneSurrogates: true },
      logLevel: INTAKE_LOG_LEVEL,
      onSend: recordRefusal,
      schema: {
        tags: ['alerts'],
        summary: 'PagerDuty Events API v2, unchanged: the integration token as routing_key',
        description:
          "Point a tool that pages PagerDuty here (its events URL) and use a pagerduty integration's token as the routing key (or send it as Authorization: Bearer). Answers like PagerDuty: 202 {status, message, dedup_key}.",
        security: [],
        response: { 202: PagerDutyResponse, ...problems(400, 401, 413, 415) },
      },
    },
    async (request, reply) => {
      let integration = request.integration;
      if (!integration) {
        const body = request.body as { routing_key?: unknown } | null;
        const key = body && typeof body === 'object' ? body.routing_key : undefined;
        integration = typeof key === 'string' ? await intake.integrationAuthenticator.authenticate(key) : null;
        // Known from here on, so a refusal below is recorded for this integration's admin.
        request.integration = integration;
      }
      if (!integration) {
        throw new AppError('unauthenticated', 'routing_key is not a valid integration token: it may be mistyped or revoked.', {
          errors: [{ field: 'routing_key', message: 'is not a valid integration token' }],
        });
      }
      if (integration.source !== 'pagerduty') {
        throw new AppError(
          'validation_failed',
          `This integration expects ${integration.source} payloads; use ${alertsPathOf(integration.id)}.`,
          {
            errors: [{ field: 'routing_key', message: `belongs to a ${integration.source} integration, not a pagerduty one` }],
          },
        );
      }
      const result = adaptPayload('pagerduty', request.body, deps.clock.now());
      if (!result.ok) refuse(result.errors);
      const ingested = await commits.submit(integration, result.alerts);
      return reply.status(202).send(presentPagerDutyAccepted(ingested));
    },
  );
}
