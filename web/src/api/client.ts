import { problemText } from './problem-words';

/** A problem+json answer, with the fields it blames: forms show each message next to its field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly fieldErrors: { field: string; message: string }[],
    readonly body: Record<string, unknown>,
  ) {
    super(detail || title);
  }

  /** The message for one field, if the server blamed it. */
  field(name: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === name || e.field.startsWith(`${name}.`))?.message;
  }
}

const SIGNED_IN_KEY = 'firebreak.signed-in';

/** Remembers (in this browser) that someone was signed in, so that a lost session can say it ended. */
export function rememberSignedIn(signedIn: boolean): void {
  try {
    if (signedIn) {
      if (localStorage.getItem(SIGNED_IN_KEY) !== '1') localStorage.setItem(SIGNED_IN_KEY, '1');
    } else localStorage.removeItem(SIGNED_IN_KEY);
  } catch {
    // Storage refused (private mode): the sign-in page then just asks to sign in.
  }
}

function wasSignedIn(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * Where a missing session sends the browser: to sign in, then back to `here`. Only a browser
 * that was signed in (and did not sign out) is told its session ended (`ended`); a first visit
 * is just asked to sign in.
 */
export function signInUrl(here = window.location.pathname + window.location.search): string {
  const params = new URLSearchParams();
  if (wasSignedIn()) params.set('ended', '1');
  if (!here.startsWith('/sign-in') && here !== '/') params.set('next', here);
  const query = params.toString();
  return query ? `/sign-in?${query}` : '/sign-in';
}

let onUnauthenticated: () => void = () => {
  window.location.assign(signInUrl());
};

/** The app decides what "session expired" does (it navigates without a reload). */
export function setUnauthenticatedHandler(handler: () => void) {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  ifMatch?: number;
  idempotencyKey?: string;
  /** A 401 is the answer being asked for (e.g. "am I signed in?"), not an expired session. */
  allowUnauthenticated?: boolean;
  signal?: AbortSignal;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One request to the API, answered with its JSON (or `null` for 204 No Content) or thrown as an
 * `ApiError`. Pages do not call this: they use the typed calls in `endpoints/`, where each path is
 * written once with the contract types of its body and answer.
 */
export async function request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'Cannot reach Firebreak', 'The server did not answer. Check your connection; we will keep trying.', [], {});
  }
  if (res.status === 204) return null as T;
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { detail: text.slice(0, 300) };
  }
  if (res.ok) return parsed as T;
  const error = new ApiError(
    res.status,
    String(parsed.title ?? res.statusText),
    String(parsed.detail ?? parsed.title ?? `The server answered ${res.status}.`),
    Array.isArray(parsed.errors) ? (parsed.errors as { field: string; message: string }[]) : [],
    parsed,
  );
  if (res.status === 401 && !options.allowUnauthenticated) onUnauthenticated();
  throw error;
}

/** A message a person can act on, for any error a request may throw. */
export function humanMessage(err: unknown): string {
  if (err instanceof ApiError) return problemText(err);
  return err instanceof Error ? err.message : 'Something went wrong.';
}
