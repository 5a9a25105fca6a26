import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportPublicOutageViaApi } from '../../../test/factories.js';
import { createTestApp, type TestApp, type TestUser } from '../../../test/test-app.js';

/**
 * The status page as a real server runs it: computed in the background and served ready-made.
 * A change made through another server on the same database (another process, on PostgreSQL)
 * must still show within the 2 s issue 15 promises. The reader hears the database's live
 * announcements, as a real server does; its safety comparison of the fingerprint is a minute
 * apart, so only the announcement can make the change show in time.
 */
let reader: TestApp;
let writer: TestApp;
let agent: TestUser;
let incidentId: string;

beforeAll(async () => {
  reader = await createTestApp({ config: { statusPageCheckEveryMs: 100, statusPageSafetyCheckEveryMs: 60_000 }, liveAnnouncements: true });
  writer = await createTestApp({ sameDatabaseAs: reader });
  agent = await writer.user('agent');
  ({ incidentId } = await reportPublicOutageViaApi(writer, agent, 'VPN down for everyone'));
});
afterAll(async () => {
  await writer.close();
  await reader.close();
});

const page = () => reader.app.inject({ method: 'GET', url: '/status' });

/** How long until the reader's page contains `text` (polled; fails after 5 s). */
async function timeUntilShown(text: string): Promise<number> {
  const started = performance.now();
  while (!(await page()).body.includes(text)) {
    if (performance.now() - started > 5_000) throw new Error(`"${text}" did not show within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}

describe('the status page served ready-made', () => {
  it('shows an incident another server reported', async () => {
    // The first reader waits for the first computation; what is timed is a change after that.
    expect((await page()).body).toContain('VPN down for everyone');
  });

  it('answers every reader with the same computation while nothing changes', async () => {
    const etags = new Set<string>();
    for (let i = 0; i < 20; i++) etags.add(String((await page()).headers.etag));
    expect(etags.size).toBe(1);
  });

  it('shows a public update posted through another server within 2 s', async () => {
    const before = (await page()).headers.etag;
    const posted = await writer.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${incidentId}/comments`,
      headers: agent.headers,
      payload: { body: 'A fix is being rolled out.', visibility: 'public' },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(await timeUntilShown('A fix is being rolled out.')).toBeLessThan(2_000);
    expect((await page()).headers.etag).not.toBe(before);
  });
});
