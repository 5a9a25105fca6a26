import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What we accept from a caller's X-Request-Id: short, and only characters safe in logs and headers. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * The id of a request: the caller's (a load balancer's or proxy's) X-Request-Id when it is sane,
 * so one id follows the request through every log; else a new UUID. It is echoed in the
 * X-Request-Id response header, named in every log line of the request and in problem+json.
 */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const header = request.headers['x-request-id'];
  const given = Array.isArray(header) ? undefined : header;
  return given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}
