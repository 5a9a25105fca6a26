import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Problem } from '../../../core/contracts/common.js';
import { AppError } from '../../../core/errors.js';
import type { LocalPasswordPolicy } from '../../../core/single-sign-on.js';
import type { OutboundTargets, ServiceDeps } from '../services/deps.js';

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface RouteDeps extends ServiceDeps {
  sessionHours: number;
  secureCookies: boolean;
  databaseKind: 'pglite' | 'postgres';
  /** Where people open Firebreak: links handed out (calendar feeds) point here. */
  publicUrl: string;
  /** Refuses checks and webhooks that name a private address (unless allowed). */
  outbound: OutboundTargets;
  /** Whether e-mail out is on (FIREBREAK_SMTP_URL is set): the web must not promise mail that is off. */
  emailOut: boolean;
  /** Who may have a password: everyone, or with single sign-on replacing passwords the break-glass admin alone. */
  localPasswords: LocalPasswordPolicy;
}

/** The problem responses a route can give, for the OpenAPI document. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  return Object.fromEntries(statuses.map((s) => [s, Problem]));
}

/** Reads `If-Match: "3"` (or W/"3", or 3) as a version number; absent means "don't check". */
export function expectedVersion(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header[0] : header;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(text.trim());
  if (!match) {
    throw new AppError('validation_failed', 'If-Match must be the ETag from your last read, e.g. "3"', {
      errors: [{ field: 'If-Match', message: 'must be the ETag from the last read, e.g. "3"' }],
    });
  }
  return Number(match[1]);
}

export const etag = (version: number) => `"${version}"`;
