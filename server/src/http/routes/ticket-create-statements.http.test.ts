import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatements, type StatementLog } from '../../../test/statement-counter.js';
import { createTestApp, json, type TestApp, type TestUser } from '../../../test/test-app.js';

let t: TestApp;
let admin: TestUser;
let serviceId: string;
let log: StatementLog;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  const agent = await t.user('agent');
  const team = await t.app.inject({
    method: 'POST',
    url: '/api/v1/teams',
    headers: admin.headers,
    payload: { name: 'Network', memberIds: [agent.user.id] },
  });
  const service = await t.app.inject({
    method: 'POST',
    url: '/api/v1/services',
    headers: admin.headers,
    payload: { name: 'VPN', ownerTeamId: json(team).id },
  });
  serviceId = json(service).id;
  log = countStatements(t.database);
});

afterAll(() => t.close());

async function create(title: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: admin.headers,
    payload: { title, description: 'Users on the Lyon site lose the VPN tunnel.', impact: 2, urgency: 2, serviceId },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

describe('the round trips of a ticket creation (the benchmark’s request: a routed service, an API token)', () => {
  it('sends few statements to the database once the configuration is cached', async () => {
    await create('VPN drops #1'); // the first one fills the per-process caches
    // The second finds this second's storm check committed by the first, and the process remembers it.
    await create('VPN drops #2');
    log.reset();
    const ticket = await create('VPN drops #3');
    if (process.env.SHOW_STATEMENTS) console.log(`${log.statements.length} statements\n${log.statements.join('\n')}`);
    expect(ticket.priority).toBe(3);
    // Before the cache: 12 (the service, the matrix, SLA policies, active webhooks and automation
    // rules read, and the team's row locked for fair assignment although it shares no work).
    const configuration = log.statements.filter((s) =>
      /from "(settings|sla_policies|webhook_subscriptions|automation_rules|services)"|for update/.test(s),
    );
    expect(configuration).toEqual([]);
    // BEGIN, the ticket with its event, COMMIT: the storm detector's check for this second is
    // known committed, so this one does not ask for it again (6 before), the API token is kept by
    // the process (5 before), and the event is written by the ticket's INSERT (4 before).
    expect(log.statements.filter((s) => /into "jobs"/.test(s))).toEqual([]);
    expect(log.statements.filter((s) => /from "api_tokens"/.test(s))).toEqual([]);
    expect(log.statements.length).toBeLessThanOrEqual(3);
  });
});
