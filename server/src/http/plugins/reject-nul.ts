import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../../core/errors.js';

/**
 * PostgreSQL text cannot hold U+0000. Rather than fail at insert time with a 500, refuse any
 * body or query string containing one, naming the field, before a route sees it.
 */
export function registerNulCharacterCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const where = findNul(request.body, '') ?? findNul(request.query, '');
    if (where !== null) {
      const field = where || 'body';
      throw new AppError('validation_failed', `${field}: must not contain NUL (\\u0000) characters`, {
        errors: [{ field, message: 'must not contain NUL (\\u0000) characters' }],
      });
    }
  });
}

function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], path ? `${path}.${i}` : String(i));
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
      const found = findNul(child, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
}
