import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { AppError } from '../../../../core/errors.js';
import type { Api } from '../route-types.js';

/**
 * What the browser may load and run on Firebreak's pages: only our own scripts and styles, no
 * inline script, no framing. User text is never rendered as HTML, and this is the second wall.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built web UI: hashed assets cached for a year, every other path that is not the
 * API answered with index.html so the browser's router can show it (deep links, reloads).
 */
export async function webAppRoutes(app: Api, web: { distDir: string }): Promise<void> {
  const root = path.resolve(web.distDir);
  const indexHtml = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  const topLevelFiles = new Set(fs.readdirSync(root).filter((f) => f !== 'index.html' && fs.statSync(path.join(root, f)).isFile()));
  await app.register(fastifyStatic, { root, serve: false });

  app.get('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .sendFile(path.posix.join('assets', file));
  });

  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    const pathname = request.url.split('?')[0];
    if (pathname.startsWith('/api/')) {
      throw new AppError('not_found', `There is no GET ${pathname} here. The API is described at /api/v1/docs.`);
    }
    const name = pathname.slice(1);
    if (topLevelFiles.has(name)) return reply.header('cache-control', 'public, max-age=3600').sendFile(name);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .send(indexHtml);
  });
}
