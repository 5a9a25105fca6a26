import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from './adapters/clock.js';
import { openIdProvider } from './adapters/openid-provider.js';
import { createOutboundGuard, type OutboundGuard } from './adapters/outbound-guard.js';
import type { PasswordCost } from './adapters/secrets.js';
import type { SingleSignOnConfig, TrustProxy } from './config.js';
import type { Database } from './db/client.js';
import { withoutFormatPatterns, withSharedProblem } from './http/openapi-document.js';
import { registerAuthentication } from './http/plugins/authentication.js';
import { registerHostAllowList, registerNoStore } from './http/plugins/edge-guards.js';
import { serializeRequest } from './http/plugins/log-redaction.js';
import { createMetrics, type Metrics, registerRequestMetrics } from './http/plugins/metrics.js';
import { registerProblemHandlers } from './http/plugins/problem.js';
import { registerJsonParser } from './http/plugins/raw-body.js';
import { refusedAlertRecorder } from './http/plugins/refused-alert-recorder.js';
import { registerNulCharacterCheck } from './http/plugins/reject-nul.js';
import { requestIdOf } from './http/plugins/request-id.js';
import { publicStatusPage } from './http/public-status-page.js';
import type { RouteDeps } from './http/route-types.js';
import { alertRoutes } from './http/routes/alerts.routes.js';
import { authRoutes } from './http/routes/auth.routes.js';
import { automationRoutes } from './http/routes/automation.routes.js';
import { cannedReplyRoutes } from './http/routes/canned-replies.routes.js';
import { catalogRoutes } from './http/routes/catalog.routes.js';
import { changeRoutes } from './http/routes/changes.routes.js';
import { checkRoutes } from './http/routes/checks.routes.js';
import { emailRoutes } from './http/routes/email.routes.js';
import { eventRoutes } from './http/routes/events.routes.js';
import { fairAssignmentRoutes } from './http/routes/fair-assignment.routes.js';
import { followerRoutes } from './http/routes/followers.routes.js';
import { healthRoutes } from './http/routes/health.routes.js';
import { importRoutes } from './http/routes/imports.routes.js';
import { inAppNotificationRoutes } from './http/routes/in-app-notifications.routes.js';
import { incidentCompletionRoutes } from './http/routes/incident-completion.routes.js';
import { incidentRoleRoutes } from './http/routes/incident-roles.routes.js';
import { integrationRoutes } from './http/routes/integrations.routes.js';
import { jobRoutes } from './http/routes/jobs.routes.js';
import { knowledgeBaseRoutes } from './http/routes/knowledge-base.routes.js';
import { knownErrorDeflectionRoutes } from './http/routes/known-error-deflection.routes.js';
import { knownIssueRoutes } from './http/routes/known-issues.routes.js';
import { maintenanceRoutes } from './http/routes/maintenance.routes.js';
import { majorIncidentWorkRoutes } from './http/routes/major-incident-work.routes.js';
import { majorIncidentRoutes } from './http/routes/major-incidents.routes.js';
import { metricsRoutes } from './http/routes/metrics.routes.js';
import { onCallRoutes } from './http/routes/on-call.routes.js';
import { pagingRoutes } from './http/routes/paging.routes.js';
import { postIncidentReviewRoutes } from './http/routes/post-incident-reviews.routes.js';
import { problemRoutes } from './http/routes/problems.routes.js';
import { refusedAlertRoutes } from './http/routes/refused-alerts.routes.js';
import { reportRoutes } from './http/routes/reports.routes.js';
import { routingRoutes } from './http/routes/routing.routes.js';
import { satisfactionRoutes } from './http/routes/satisfaction.routes.js';
import { savedReportRoutes } from './http/routes/saved-reports.routes.js';
import { savedViewRoutes } from './http/routes/saved-views.routes.js';
import { similarIncidentRoutes } from './http/routes/similar-incidents.routes.js';
import { singleSignOnRoutes } from './http/routes/single-sign-on.routes.js';
import { slaRoutes } from './http/routes/sla.routes.js';
import { stakeholderUpdateRoutes } from './http/routes/stakeholder-updates.routes.js';
import { statusPageRoutes } from './http/routes/status-page.routes.js';
import { statusSubscriptionRoutes } from './http/routes/status-subscriptions.routes.js';
import { stormRoutes } from './http/routes/storms.routes.js';
import { teamRoutes } from './http/routes/teams.routes.js';
import { type AdvanceableClock, testClockRoutes } from './http/routes/test-clock.routes.js';
import { ticketExportRoutes } from './http/routes/ticket-export.routes.js';
import { ticketLinkRoutes } from './http/routes/ticket-links.routes.js';
import { ticketRoutes } from './http/routes/tickets.routes.js';
import { DEFAULT_ATTACHMENT_MAX_BYTES, uploadRoutes } from './http/routes/upload.routes.js';
import { userRoutes } from './http/routes/users.routes.js';
import { webAppRoutes } from './http/routes/web-app.routes.js';
import { webhookRoutes } from './http/routes/webhooks.routes.js';
import { EventHub } from './live/event-hub.js';
import { createAlertGroupCommit } from './services/alert-group-commit.js';
import { ConfigCache, listenForConfigChanges } from './services/config-cache.js';
import { createIntegrationAuthenticator } from './services/integration-authenticator.js';
import { StormChecksSeen } from './services/storm-schedule.service.js';

export interface AppDeps {
  /** `raw` (the engine's own client) feeds the connection-pool metrics when given. */
  database: Pick<Database, 'db' | 'kind'> & Partial<Pick<Database, 'raw'>>;
  /** The process's configuration cache (tests pass theirs to watch it); made here when absent. */
  configCache?: ConfigCache;
  clock: Clock;
  config: {
    sessionHours: number;
    secureCookies: boolean;
    bodyLimitBytes: number;
    trustProxy: TrustProxy;
    /** scrypt cost for new password hashes; absent means the default (OWASP's minimum). Tests pass a lower one. */
    passwordCost?: PasswordCost;
    /** The largest file people may attach (the same limit as e-mail attachments). */
    emailIntake?: { attachments: { maxBytes: number } };
    /** Where people open Firebreak: links handed out (calendar feeds) point here. */
    publicUrl?: string;
    /** Private addresses and ranges checks and webhooks may name (FIREBREAK_ALLOW_PRIVATE_TARGETS); none when absent. */
    allowPrivateTargets?: string[];
    /** Host names requests may carry (DNS rebinding); null or absent answers any. */
    allowedHosts?: string[] | null;
    /** Slow clients are cut off; tests shorten these. */
    timeouts?: Partial<HttpTimeouts>;
    /** E-mail out is on when an SMTP server is set. */
    mail?: { smtpUrl: string | undefined };
    /** How often the public status page looks whether it is due (500 ms when absent; it recomputes at most every second look); 0 computes it for every reader (tests). */
    statusPageCheckEveryMs?: number;
    /** How often it compares its tables' fingerprint for a change no live announcement told of (15 s when absent). */
    statusPageSafetyCheckEveryMs?: number;
    /** FIREBREAK_METRICS_TOKEN: /metrics answers this bearer token only; absent or null, it is a 404. */
    metricsToken?: string | null;
    /** OpenID Connect sign-in (FIREBREAK_OIDC_*); absent or null: none. */
    singleSignOn?: SingleSignOnConfig | null;
    /** Password sign-in for everyone (absent: yes), or for the break-glass admin alone. */
    localPasswords?: { enabled: boolean; breakGlassEmail: string | null };
  };
  /** The outbound gate (main.ts shares one with the worker); built from allowPrivateTargets when absent. */
  outbound?: OutboundGuard;
  logger?: FastifyServerOptions['logger'];
  /** Where the live stream's announcements arrive; without one, the stream stays quiet. */
  events?: EventHub;
  /** The built web UI to serve at `/`; without it, only the API is served. */
  web?: { distDir: string };
  /** The largest upload Admin › Import takes (512 MiB when absent; tests set a small one). */
  importMaxBytes?: number;
  /** FIREBREAK_TEST_CLOCK=on: the clock (the same as `clock`) admins may move; absent, no such route. */
  testClock?: AdvanceableClock;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's Prometheus metrics: intake outside HTTP (the SMTP listener) counts here too. */
    metrics: Metrics;
  }
}

export interface HttpTimeouts {
  /** The request line and headers must arrive within this. */
  headersMs: number;
  /** The whole request, body included, must arrive within this (a 10 MiB upload needs ~90 KB/s). The answer is not bounded: the live stream is long-lived. */
  requestMs: number;
  /** A connection with no traffic either way is closed (the live stream sends a heartbeat every 20 s). */
  idleMs: number;
  /** How long a kept-alive connection waits for its next request. */
  keepAliveMs: number;
  /** How often Node checks the header and request deadlines. */
  checkIntervalMs: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = {
  headersMs: 15_000,
  requestMs: 120_000,
  idleMs: 120_000,
  keepAliveMs: 72_000,
  checkIntervalMs: 5_000,
};

/** Fastify's logger options with secrets in query strings redacted from every logged request. */
function withRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...(options.serializers ?? {}), req: serializeRequest as never } };
}

/** A hop count as the function Fastify takes (it trusts the `hops` proxies nearest to us); addresses as they are. */
function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** The claims single sign-on decides with: asked of userinfo when the ID token leaves them out. */
function wantedClaimsOf(sso: SingleSignOnConfig): string[] {
  return ['email', 'email_verified', 'name', ...(sso.roleClaim ? [sso.roleClaim] : [])];
}

/** The Fastify instance with every route, ready for `inject()` in tests or `listen()` in main. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const timeouts = { ...HTTP_TIMEOUTS, ...deps.config.timeouts };
  const app = Fastify({
    logger: withRedaction(deps.logger),
    bodyLimit: deps.config.bodyLimitBytes,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    trustProxy: fastifyTrustProxy(deps.config.trustProxy),
    // A sane X-Request-Id from a proxy is kept, so its logs and ours name the same request.
    genReqId: requestIdOf,
    requestIdHeader: false,
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();
  // JSON only. text/plain is what a browser may send cross-site without a preflight, so it is
  // refused (415) rather than parsed.
  app.removeContentTypeParser('text/plain');
  registerJsonParser(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Hooks every request runs are plain callbacks, not async functions: a promise per hook per
  // request was a measurable share of a cheap route's cost (the status page under a crowd).
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  registerHostAllowList(app, deps.config.allowedHosts ?? null);
  registerNoStore(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Firebreak API',
        version: '1',
        description:
          'Incident management: report, prioritise, route, work and resolve tickets. Sign in for a session cookie, or send an API token as `Authorization: Bearer <token>`. Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'firebreak_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) =>
      'openapiObject' in document
        ? withSharedProblem(withoutFormatPatterns(document.openapiObject as Record<string, unknown>))
        : document.swaggerObject,
  });
  // The docs page loads only its own scripts and styles (swagger-ui's files, served here) and
  // talks only to this server; no inline script, no framing. Inline styles: swagger-ui sets them.
  await app.register(swaggerUi, {
    routePrefix: '/api/v1/docs',
    // Tags start closed: ~130 operations opened at once is a wall nobody reads (and Swagger UI
    // stopped rendering past the first section with all of them open).
    uiConfig: { docExpansion: 'none' },
    staticCSP:
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  });
  await app.register(cookie);

  registerProblemHandlers(app);
  // Configuration every ticket write reads, kept per process; any process's change drops it. It
  // needs the engine's own client to hear the changes: without it, nothing is cached.
  const raw = deps.database.raw;
  const configCache = raw ? (deps.configCache ?? new ConfigCache()) : undefined;
  if (raw && configCache) {
    const configListener = await listenForConfigChanges({ raw }, configCache, (level, msg, detail) => app.log[level](detail, msg));
    app.addHook('onClose', async () => configListener.close());
  }
  const routeDeps: RouteDeps = {
    db: deps.database.db,
    clock: deps.clock,
    configCache,
    stormChecksSeen: new StormChecksSeen(),
    ...(deps.config.passwordCost ? { passwordCost: deps.config.passwordCost } : {}),
    sessionHours: deps.config.sessionHours,
    secureCookies: deps.config.secureCookies,
    databaseKind: deps.database.kind,
    publicUrl: deps.config.publicUrl ?? 'http://localhost:3000',
    outbound: deps.outbound ?? createOutboundGuard({ allow: deps.config.allowPrivateTargets ?? [] }),
    emailOut: !!deps.config.mail?.smtpUrl,
    localPasswords: deps.config.localPasswords ?? { enabled: true, breakGlassEmail: null },
  };
  // Long-lived services, built once here and handed to the plugins that use them: each holds
  // state across requests (remembered tokens, queued deliveries, open streams, a log counter).
  const integrationAuthenticator = createIntegrationAuthenticator(routeDeps);
  // PGlite runs one transaction at a time: more workers would only queue.
  const commits = createAlertGroupCommit(routeDeps, { workers: deps.database.kind === 'postgres' ? 3 : 1, maxAlerts: 500 });
  // Deliveries in flight are committed (and answered) before the server closes.
  app.addHook('onClose', async () => commits.drain());
  const events = deps.events ?? new EventHub();
  // Open streams would keep the server from closing: end them first, telling browsers to come back
  // soon (to another process behind the load balancer, or this one restarted).
  app.addHook('preClose', async () => events.closeAll({ retryMs: 1000 }));
  const metrics = createMetrics({
    database: deps.database,
    clock: deps.clock,
    liveConnections: () => events.size,
    processMetrics: !!deps.config.metricsToken,
  });
  app.decorate('metrics', metrics);
  registerRequestMetrics(app, metrics);

  registerAuthentication(app, { ...routeDeps, integrationAuthenticator, metricsToken: deps.config.metricsToken ?? null });
  registerNulCharacterCheck(app);

  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  healthRoutes(app, routeDeps);
  metricsRoutes(app, metrics);
  const ssoConfig = deps.config.singleSignOn ?? null;
  const provider = ssoConfig ? openIdProvider({ ...ssoConfig, wantedClaims: wantedClaimsOf(ssoConfig) }, deps.clock) : null;
  const localPasswords = routeDeps.localPasswords;
  authRoutes(app, routeDeps, { passwordPolicy: { ...localPasswords, ssoName: ssoConfig?.name ?? null }, provider });
  await singleSignOnRoutes(app, routeDeps, {
    sso: ssoConfig && provider ? { ...routeDeps, provider, policy: ssoConfig, config: ssoConfig } : null,
    localPasswords: localPasswords.enabled,
  });
  userRoutes(app, routeDeps);
  teamRoutes(app, routeDeps);
  catalogRoutes(app, routeDeps);
  ticketExportRoutes(app, routeDeps);
  ticketRoutes(app, routeDeps);
  knownIssueRoutes(app, routeDeps);
  savedViewRoutes(app, routeDeps);
  cannedReplyRoutes(app, routeDeps);
  automationRoutes(app, routeDeps);
  fairAssignmentRoutes(app, routeDeps);
  followerRoutes(app, routeDeps);
  incidentRoleRoutes(app, routeDeps);
  majorIncidentWorkRoutes(app, routeDeps);
  incidentCompletionRoutes(app, routeDeps);
  postIncidentReviewRoutes(app, routeDeps);
  stakeholderUpdateRoutes(app, routeDeps);
  statusPageRoutes(
    app,
    routeDeps,
    publicStatusPage(app, routeDeps, {
      checkEveryMs: deps.config.statusPageCheckEveryMs ?? 500,
      safetyCheckEveryMs: deps.config.statusPageSafetyCheckEveryMs ?? 15_000,
      events,
    }),
  );
  maintenanceRoutes(app, routeDeps);
  slaRoutes(app, routeDeps);
  jobRoutes(app, routeDeps);
  webhookRoutes(app, routeDeps);
  onCallRoutes(app, routeDeps);
  await pagingRoutes(app, routeDeps);
  inAppNotificationRoutes(app, routeDeps);
  integrationRoutes(app, routeDeps, { commits, integrationAuthenticator, recordRefusal: refusedAlertRecorder(routeDeps) });
  alertRoutes(app, routeDeps);
  refusedAlertRoutes(app, routeDeps);
  checkRoutes(app, routeDeps);
  eventRoutes(app, routeDeps, events);
  emailRoutes(app, routeDeps);
  ticketLinkRoutes(app, routeDeps);
  majorIncidentRoutes(app, routeDeps);
  stormRoutes(app, routeDeps);
  await satisfactionRoutes(app, routeDeps);
  await statusSubscriptionRoutes(app, routeDeps);
  await reportRoutes(app, routeDeps);
  savedReportRoutes(app, routeDeps);
  problemRoutes(app, routeDeps);
  changeRoutes(app, routeDeps);
  knowledgeBaseRoutes(app, routeDeps);
  knownErrorDeflectionRoutes(app, routeDeps);
  routingRoutes(app, routeDeps);
  similarIncidentRoutes(app, routeDeps);
  await uploadRoutes(app, { ...routeDeps, maxBytes: deps.config.emailIntake?.attachments.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES });
  await importRoutes(app, { ...routeDeps, maxBytes: deps.importMaxBytes });
  if (deps.testClock) testClockRoutes(app, deps.testClock);
  if (deps.web) await webAppRoutes(app, deps.web);
  return app;
}
