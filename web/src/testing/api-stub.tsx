import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';

/** One request the UI made, as the server would see it. */
export interface SentRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status: number; body?: unknown };

/**
 * A stand-in for the server behind `fetch`: each answer is given per "METHOD /path" (without
 * /api/v1 and the query), and every request is recorded, so a test checks what the UI sent and
 * how it shows what came back. The real API client does the rest (headers, problem+json).
 */
export function stubApi(answers: Record<string, Answer | ((request: SentRequest) => Answer)>) {
  const sent: SentRequest[] = [];
  const fetchStub = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://firebreak.test');
    const request: SentRequest = {
      method: init.method ?? 'GET',
      path: url.pathname.replace(/^\/api\/v1/, ''),
      headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>)),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    sent.push(request);
    const found = answers[`${request.method} ${request.path}`];
    if (!found) throw new Error(`unexpected request ${request.method} ${request.path}`);
    const answer = typeof found === 'function' ? found(request) : found;
    const problem = answer.status >= 400;
    return new Response(answer.status === 204 ? null : JSON.stringify(answer.body ?? {}), {
      status: answer.status,
      headers: { 'content-type': problem ? 'application/problem+json' : 'application/json' },
    });
  };
  globalThis.fetch = fetchStub as typeof fetch;
  return { sent, count: (method: string, path: string) => sent.filter((r) => r.method === method && r.path === path).length };
}

/** A problem+json answer naming the fields at fault, as the server's error handler writes it. */
export function problem(status: number, errors: { field: string; message: string }[] = [], detail = 'The body has invalid fields.') {
  return { status, body: { type: 'about:blank', title: 'Bad request', status, detail, errors } };
}

/** A fresh query cache per test, without retries (a refused request is shown at once). */
export function newQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

export function withQueries(client: QueryClient) {
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
