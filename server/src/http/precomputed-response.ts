import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A response body computed once and sent to many readers (the public status page under an
 * outage's crowd): its validator and, made on first demand, its gzip form. Compressing once per
 * computation instead of once per request is what lets a crowd get the small body for free.
 */
export interface PrecomputedBody {
  readonly text: string;
  /** A strong validator of the text (a hash, so equal texts of different computations match). */
  readonly etag: string;
  gzipped?: Buffer;
}

export function precomputedBody(text: string): PrecomputedBody {
  return { text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` };
}

/**
 * Whether an Accept-Encoding header lets us answer with gzip: `gzip` or `*` listed without
 * `q=0` (RFC 9110 §12.5.3). An explicit `gzip;q=0` wins over `*`.
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  let star = false;
  for (const part of acceptEncoding.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (coding.trim() === 'gzip') return allowed;
    if (coding.trim() === '*') star = allowed;
  }
  return star;
}

/** Whether If-None-Match names this validator (or is `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * Sends a precomputed body: 304 when the reader already has it, gzip when the reader takes it,
 * the text otherwise. The caller has set the type and its own headers.
 */
export function sendPrecomputed(request: FastifyRequest, reply: FastifyReply, body: PrecomputedBody): FastifyReply {
  reply.header('etag', body.etag).header('vary', 'accept-encoding');
  if (matches(request.headers['if-none-match'], body.etag)) return reply.status(304).send();
  if (acceptsGzip(request.headers['accept-encoding'])) {
    body.gzipped ??= gzipSync(body.text);
    return reply.header('content-encoding', 'gzip').send(body.gzipped);
  }
  return reply.send(body.text);
}
