/** The few API calls that prepare a benchmark: a token, and a service that routes to a team. */

export const ADMIN = { email: 'bench-admin@example.test', password: 'bench-password-1234' };

async function call<T>(url: string, init: RequestInit & { json?: unknown }): Promise<{ body: T; response: Response }> {
  const response = await fetch(url, {
    ...init,
    headers: { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) },
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text}`);
  return { body: text ? (JSON.parse(text) as T) : (undefined as T), response };
}

/** Signs in as the first admin and creates a write token: the benchmark calls as an integration would. */
export async function createToken(base: string): Promise<string> {
  const { response } = await call(`${base}/api/v1/auth/sign-in`, { method: 'POST', json: ADMIN });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { body } = await call<{ token: string }>(`${base}/api/v1/api-tokens`, {
    method: 'POST',
    headers: { cookie },
    json: { name: 'bench', scope: 'write' },
  });
  return body.token;
}

/** A team and a service it owns, so that each created ticket goes through routing by service. */
export async function createRoutedService(base: string, token: string): Promise<string> {
  const headers = { authorization: `Bearer ${token}` };
  const team = await call<{ id: string }>(`${base}/api/v1/teams`, { method: 'POST', headers, json: { name: 'Bench Responders' } });
  const service = await call<{ id: string }>(`${base}/api/v1/services`, {
    method: 'POST',
    headers,
    json: { name: 'Bench VPN', ownerTeamId: team.body.id },
  });
  return service.body.id;
}

/** Ids of existing tickets, read through the list API, for the single-ticket reads. */
export async function listTicketIds(base: string, token: string, wanted: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=200${cursor ? `&cursor=${cursor}` : ''}`;
    const { body } = await call<{ items: { id: string }[]; nextCursor: string | null }>(`${base}/api/v1/tickets?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    ids.push(...body.items.map((t) => t.id));
    cursor = body.nextCursor;
  } while (cursor && ids.length < wanted);
  return ids;
}
