/**
 * Errors are data: the domain throws AppError(code, message, details) and the HTTP layer maps
 * each code to one status and an RFC 9457 problem+json body. Nothing else invents statuses.
 */

export const ERROR_CODES = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  illegal_transition: 409,
  conflict: 409,
  stale_version: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  /** Something Firebreak depends on (an identity provider) cannot be reached now. */
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  /** Dotted path of the field at fault, e.g. `impact` or `matrix.1.2`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[];
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { errors?: FieldError[]; extra?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.errors = options.errors ?? [];
    this.extra = options.extra ?? {};
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function fieldError(code: ErrorCode, field: string, message: string): AppError {
  return new AppError(code, `${field}: ${message}`, { errors: [{ field, message }] });
}

/** Missing and forbidden look the same to a caller who may not see the record. */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}
