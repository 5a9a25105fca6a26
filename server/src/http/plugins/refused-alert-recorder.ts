import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../../../core/errors.js';
import type { ServiceDeps } from '../../services/deps.js';
import { recordRefusedDelivery } from '../../services/refused-alerts.service.js';

const UNATTRIBUTED_LOG_EVERY_MS = 60_000;

/**
 * An onSend hook for the alert intake routes: every 4xx answered to a request that a valid
 * integration token authenticated is recorded for the admin, with exactly the reason the sender
 * was given (whatever refused it: the JSON parser, the size limit, schema checks, the adapter).
 * It runs before the answer leaves, so the record exists when the sender sees the refusal; a
 * failure to record is logged and the sender still gets its 4xx, never a 5xx.
 *
 * Refusals that no valid token vouches for (401s, broken bodies with no token in a header) are
 * not stored — anyone could send them, and they must not fill the database — but counted in the
 * log, one line a minute at most, with how many there were since the last line.
 */
export type RefusedAlertRecorder = (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>;

export function refusedAlertRecorder(deps: ServiceDeps): RefusedAlertRecorder {
  const unattributed = { count: 0, lastLoggedAt: Number.NEGATIVE_INFINITY };

  function countUnattributed(request: FastifyRequest, status: number): void {
    unattributed.count += 1;
    const now = deps.clock.now().getTime();
    if (now - unattributed.lastLoggedAt < UNATTRIBUTED_LOG_EVERY_MS) return;
    request.log.warn(
      { refusedAlertDeliveries: unattributed.count, lastStatus: status, route: request.routeOptions.url },
      'alert deliveries refused without a valid integration token since the last such line (not recorded: no integration to attribute them to)',
    );
    unattributed.count = 0;
    unattributed.lastLoggedAt = now;
  }

  return async function recordRefusal(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const status = reply.statusCode;
    if (status < 400 || status >= 500) return payload;
    const integration = request.integration;
    if (!integration || status === 401) {
      countUnattributed(request, status);
      return payload;
    }
    const problem = readProblem(payload);
    try {
      await recordRefusedDelivery(deps, {
        integrationId: integration.id,
        status,
        reason: problem.detail,
        fieldErrors: problem.errors,
        contentType: headerText(request.headers['content-type']),
        bodyBytes: request.rawBody !== null ? Buffer.byteLength(request.rawBody) : declaredLength(request),
        rawBody: request.rawBody,
        secrets: secretsOf(request),
        requestId: request.id,
      });
    } catch (err) {
      request.log.error(
        { err, integrationId: integration.id, status, reason: problem.detail },
        'could not record a refused alert delivery; the sender was still told why it was refused',
      );
    }
    return payload;
  };
}

/** The problem+json body the error handler wrote (a string by the time onSend sees it). */
function readProblem(payload: unknown): { detail: string; errors: FieldError[] } {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
  try {
    const body = JSON.parse(text) as { detail?: unknown; title?: unknown; errors?: unknown };
    const errors = Array.isArray(body.errors)
      ? body.errors.filter((e): e is FieldError => typeof e?.field === 'string' && typeof e?.message === 'string')
      : [];
    return { detail: typeof body.detail === 'string' ? body.detail : String(body.title ?? 'refused'), errors };
  } catch {
    return { detail: text.slice(0, 500) || 'refused', errors: [] };
  }
}

const headerText = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : (value ?? null));

function declaredLength(request: FastifyRequest): number | null {
  const n = Number(request.headers['content-length']);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** The token this request authenticated with, wherever it came from, so no excerpt ever holds it. */
function secretsOf(request: FastifyRequest): string[] {
  const secrets: string[] = [];
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (bearer) secrets.push(bearer[1]);
  const body = request.body as { routing_key?: unknown } | null | undefined;
  if (body && typeof body === 'object' && typeof body.routing_key === 'string') secrets.push(body.routing_key);
  return secrets;
}
