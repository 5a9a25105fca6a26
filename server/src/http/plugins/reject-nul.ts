import type { FastifyInstance } from 'fastify';
import { AppError, type FieldError } from '../../../../core/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route repairs lone UTF-16 surrogates itself (alert intake's adapters), so they are not refused here. */
    repairsLoneSurrogates?: boolean;
  }
}

/** JSON nested deeper than this is refused: no request of ours needs more, and deeper only costs. */
export const MAX_BODY_DEPTH = 64;

/**
 * Text PostgreSQL cannot store, refused before a route sees it, naming the field: U+0000 (text
 * cannot hold it) and lone UTF-16 surrogates (jsonb refuses "\ud800"; text would silently turn
 * them into U+FFFD); and JSON nested deeper than MAX_BODY_DEPTH. Only parsed JSON is walked —
 * arrays and plain objects — never a raw upload's Buffer, and the walk is iterative, so neither
 * a large file nor a deep body can block the event loop or the stack.
 */
export function registerNulCharacterCheck(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const options = { allowLoneSurrogates: request.routeOptions.config.repairsLoneSurrogates === true };
    const found = findUnstorableText(request.body, options) ?? findUnstorableText(request.query, options);
    done(found === null ? undefined : new AppError('validation_failed', `${found.field}: ${found.message}`, { errors: [found] }));
  });
}

interface PathNode {
  parent: PathNode | null;
  key: string;
}

function pathOf(node: PathNode | null): string {
  const keys: string[] = [];
  for (let n = node; n; n = n.parent) keys.push(n.key);
  return keys.reverse().join('.');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function textProblem(text: string, allowLoneSurrogates: boolean): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  if (!allowLoneSurrogates && LONE_SURROGATE.test(text)) return 'must be valid Unicode text (it contains half of a UTF-16 surrogate pair)';
  return null;
}

/** The first field whose text cannot be stored, or whose nesting is too deep; null when all is well. */
export function findUnstorableText(root: unknown, options: { allowLoneSurrogates?: boolean } = {}): FieldError | null {
  const allowLoneSurrogates = options.allowLoneSurrogates === true;
  const stack: { value: unknown; path: PathNode | null; depth: number }[] = [{ value: root, path: null, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as (typeof stack)[number];
    if (typeof value === 'string') {
      const problem = textProblem(value, allowLoneSurrogates);
      if (problem) return { field: pathOf(path) || 'body', message: problem };
      continue;
    }
    const isArray = Array.isArray(value);
    if (!isArray && !isPlainObject(value)) continue; // numbers, booleans, null, and raw bodies (Buffers)
    if (depth >= MAX_BODY_DEPTH) {
      // The outermost field names where it is: a path 64 keys long helps nobody.
      let top = path;
      while (top?.parent) top = top.parent;
      return { field: top?.key ?? 'body', message: `is nested more than ${MAX_BODY_DEPTH} levels deep` };
    }
    const entries: [string, unknown][] = isArray ? (value as unknown[]).map((v, i) => [String(i), v]) : Object.entries(value as object);
    // Pushed in reverse, so fields are looked at (and the first bad one named) in their order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const node = { parent: path, key };
      if (!isArray) {
        const problem = textProblem(key, allowLoneSurrogates);
        if (problem) return { field: pathOf(node), message: problem };
      }
      stack.push({ value: child, path: node, depth: depth + 1 });
    }
  }
  return null;
}
