import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, ERROR_CODES, type FieldError } from '../../../../core/errors.js';
import { isDatabaseUnavailable } from '../../repositories/database-errors.js';

/** How long a caller is asked to wait while the database is away (it is usually back within seconds). */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * One handler turns every failure into RFC 9457 problem+json. AppErrors carry their own code;
 * schema failures name each field; Fastify's own errors (bad JSON, too large, wrong media type)
 * keep their status; anything else is a 500 that hides internals and is logged with the request id.
 */
const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Changed since you loaded it',
  413: 'Too large',
  415: 'Unsupported media type',
  422: 'Refused',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Unavailable',
};

const CODE_BY_STATUS: Record<number, string> = Object.fromEntries(Object.entries(ERROR_CODES).map(([code, status]) => [status, code]));

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  detail: string,
  options: { code?: string; errors?: FieldError[]; extra?: Record<string, unknown> } = {},
): FastifyReply {
  const code = options.code ?? CODE_BY_STATUS[status] ?? 'error';
  return reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: `https://firebreak.dev/problems/${code.replaceAll('_', '-')}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      instance: request.url,
      requestId: request.id,
      ...(options.errors && options.errors.length > 0 ? { errors: options.errors } : {}),
      ...options.extra,
    });
}

function fieldErrorsFromValidation(
  error: FastifyError & { validation: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[] },
  context: string,
): FieldError[] {
  return error.validation.flatMap((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    if (issue.keyword === 'unrecognized_keys') {
      const keys = (issue.params.keys as string[]) ?? [];
      return keys.map((key) => ({ field: path ? `${path}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ field: path || context, message: issue.message ?? 'is not valid' }];
  });
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.code === 'rate_limited' && typeof error.extra.retryAfterSeconds === 'number') {
        reply.header('retry-after', String(error.extra.retryAfterSeconds));
      }
      return sendProblem(reply, request, error.status, error.message, {
        code: error.code,
        errors: error.errors,
        extra: error.extra,
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = (error as { validationContext?: string }).validationContext ?? 'body';
      const errors = fieldErrorsFromValidation(error as never, context);
      const where = context === 'querystring' ? 'query' : context;
      return sendProblem(
        reply,
        request,
        400,
        `The ${where} has ${errors.length === 1 ? 'an invalid field' : `${errors.length} invalid fields`}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
        {
          code: 'validation_failed',
          errors,
        },
      );
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
      return sendProblem(reply, request, 500, `Something went wrong on our side. Quote request id ${request.id} when you report it.`);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const detail =
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
          ? 'The body is not valid JSON.'
          : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? 'The body is larger than this server accepts.'
            : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
              ? `Send the body as application/json (got ${request.headers['content-type'] ?? 'no content type'}).`
              : error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
                ? 'The body is empty; send a JSON object.'
                : error.message;
      return sendProblem(reply, request, status, detail);
    }
    if (isDatabaseUnavailable(error)) {
      // A restart or failover of PostgreSQL: nothing was committed; the pool reconnects by itself.
      request.log.warn({ err: error }, 'database unavailable; answered 503');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return sendProblem(
        reply,
        request,
        503,
        `The database is unavailable for a moment (restarting or unreachable); nothing was changed. Try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
        { code: 'database_unavailable' },
      );
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, request, 500, `Something went wrong on our side. Quote request id ${request.id} when you report it.`);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      404,
      `There is no ${request.method} ${request.url.split('?')[0]} here. The API is described at /api/v1/docs.`,
    ),
  );
}
