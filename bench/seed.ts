/**
 * Bench-only data, written straight with SQL: one INSERT … SELECT generate_series is one
 * statement, so 100,000 tickets take seconds even on PGlite, where 100,000 API calls would take
 * minutes. The rows look like a desk two years into its life: most tickets closed, the open ones
 * recent, priorities skewed low, spread over teams, services, agents and requesters.
 */

/** What both drivers have in common: pg.Client and PGlite both answer `query(text)` with rows. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string): Promise<{ rows: T[] }>;
}

export const TEAMS = ['Service Desk', 'Network', 'Database', 'Identity', 'Workplace', 'Payroll Apps', 'Cloud Platform', 'Security'];
export const SUBJECTS = [
  'VPN',
  'Email',
  'Outlook',
  'Printer',
  'Laptop',
  'Payroll',
  'Wi-Fi',
  'SAP',
  'Teams',
  'Password',
  'Badge',
  'Monitor',
  'Database',
  'Intranet',
  'Phone',
];
export const SYMPTOMS = [
  'not working',
  'very slow',
  'disconnects every few minutes',
  'shows an error at login',
  'cannot be reached',
  'keeps crashing',
  'needed for a new starter',
  'times out',
  'lost data after the update',
  'asks for the password again',
];
export const SITES = ['Berlin', 'Lyon', 'Madrid', 'Leeds', 'Porto', 'Gdansk'];

export const list = (words: string[]) => `ARRAY[${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(', ')}]`;
export const pick = (array: string, r: string) => `(${array})[1 + floor(${r} * array_length(${array}, 1))::int]`;

/** The people, teams and services the seeded tickets refer to. Idempotent. */
export async function seedDirectory(db: Sql): Promise<void> {
  await db.query(`SELECT setseed(0.42)`);
  await db.query(`INSERT INTO users (email, name, role, created_at, updated_at)
    SELECT 'bench-agent-' || g || '@example.test', 'Agent ' || g, 'agent', now(), now() FROM generate_series(1, 40) g
    ON CONFLICT DO NOTHING`);
  await db.query(`INSERT INTO users (email, name, role, created_at, updated_at)
    SELECT 'bench-requester-' || g || '@example.test', 'Requester ' || g, 'requester', now(), now() FROM generate_series(1, 2000) g
    ON CONFLICT DO NOTHING`);
  await db.query(`INSERT INTO teams (name, created_at) SELECT t, now() FROM unnest(${list(TEAMS)}) t ON CONFLICT DO NOTHING`);
  await db.query(`INSERT INTO services (name, owner_team_id, created_at)
    SELECT s || ' service', (SELECT id FROM teams ORDER BY name OFFSET (ordinality % 8) LIMIT 1), now()
    FROM unnest(${list(SUBJECTS)}) WITH ORDINALITY s ON CONFLICT DO NOTHING`);
}

/**
 * Adds tickets (each with its `created` timeline event) until the table holds `total`, then
 * ANALYZEs, as autovacuum would have long since done on a desk that grew to this size.
 * Returns how many tickets the table holds.
 */
export async function seedTickets(db: Sql, total: number): Promise<number> {
  await seedDirectory(db);
  const existing = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM tickets`)).rows[0].n);
  const count = Math.max(0, total - existing);
  if (count > 0) {
    await db.query(`
      WITH refs AS (
        SELECT (SELECT array_agg(id ORDER BY email) FROM users WHERE email LIKE 'bench-agent-%') AS agents,
               (SELECT array_agg(id ORDER BY email) FROM users WHERE email LIKE 'bench-requester-%') AS requesters,
               (SELECT array_agg(id ORDER BY name) FROM teams) AS teams,
               (SELECT array_agg(id ORDER BY name) FROM services) AS services
      ),
      draw AS (
        SELECT random() AS s, random() AS i, random() AS u, random() AS age, random() AS w1, random() AS w2,
               random() AS w3, random() AS who, random() AS t, random() AS a, random() AS sv, random() AS hours
        FROM generate_series(1, ${count})
      ),
      shaped AS (
        SELECT d.*,
          CASE WHEN s < 0.70 THEN 'closed' WHEN s < 0.75 THEN 'resolved' WHEN s < 0.78 THEN 'cancelled'
               WHEN s < 0.84 THEN 'new' WHEN s < 0.90 THEN 'assigned' WHEN s < 0.97 THEN 'in_progress'
               ELSE 'on_hold' END AS state,
          CASE WHEN i < 0.10 THEN 1 WHEN i < 0.35 THEN 2 ELSE 3 END AS impact,
          CASE WHEN u < 0.15 THEN 1 WHEN u < 0.45 THEN 2 ELSE 3 END AS urgency
        FROM draw d
      ),
      timed AS (
        SELECT shaped.*,
          -- Open tickets are from the last 30 days; finished ones from the last two years.
          now() - CASE WHEN state IN ('new', 'assigned', 'in_progress', 'on_hold') THEN age * interval '30 days'
                       ELSE interval '30 days' + age * interval '700 days' END AS opened
        FROM shaped
      ),
      ins AS (
        INSERT INTO tickets (kind, number, title, description, requester_id, reported_by_id, channel, service_id,
          impact, urgency, priority, scope, team_id, assignee_id, state, opened_at, first_response_at,
          resolved_at, closed_at, updated_at, updated_by_id)
        SELECT 'incident', 'INC' || lpad(nextval('ticket_number_incident')::text, 7, '0'),
          ${pick(list(SUBJECTS), 'w1')} || ' ' || ${pick(list(SYMPTOMS), 'w2')},
          'Reported from the ' || ${pick(list(SITES), 'w3')} || ' office: ' || lower(${pick(list(SUBJECTS), 'w1')}) || ' '
            || ${pick(list(SYMPTOMS), 'w2')} || ' since this morning. Several colleagues are affected; restarting did not help.',
          refs.requesters[1 + floor(who * 2000)::int], refs.agents[1 + floor(a * 40)::int], 'portal',
          refs.services[1 + floor(sv * array_length(refs.services, 1))::int],
          impact, urgency, impact + urgency - 1, CASE WHEN impact = 1 THEN 'global' ELSE 'local' END::scope,
          refs.teams[1 + floor(t * array_length(refs.teams, 1))::int],
          CASE WHEN state IN ('new', 'cancelled') THEN NULL ELSE refs.agents[1 + floor(a * 40)::int] END,
          state::ticket_state, opened,
          CASE WHEN state = 'new' THEN NULL ELSE opened + interval '20 minutes' END,
          CASE WHEN state IN ('resolved', 'closed') THEN opened + hours * interval '72 hours' END,
          CASE WHEN state = 'closed' THEN opened + interval '5 days' END,
          opened + CASE WHEN state IN ('resolved', 'closed', 'cancelled') THEN interval '5 days' ELSE interval '1 hour' END,
          refs.agents[1 + floor(a * 40)::int]
        FROM timed, refs
        RETURNING id, reported_by_id, opened_at, priority
      )
      INSERT INTO timeline_events (ticket_id, type, actor_id, at, internal, data)
      SELECT id, 'created', reported_by_id, opened_at, false,
             jsonb_build_object('routedBy', 'service', 'priority', priority, 'state', 'new')
      FROM ins`);
  }
  await db.query(`ANALYZE`);
  return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM tickets`)).rows[0].n);
}

/** A team with open work in the seeded data, for the "team queue" list. */
export async function findTeamId(db: Sql, name: string): Promise<string> {
  return (await db.query<{ id: string }>(`SELECT id FROM teams WHERE name = '${name.replace(/'/g, "''")}'`)).rows[0].id;
}

/**
 * The baselines' own table in their own database: a ticket-shaped row with a primary key and
 * a unique number, and 10,000 rows for the primary-key SELECT to find. Returns ids to read.
 */
export async function createBaselineTable(db: Sql): Promise<string[]> {
  await db.query(`CREATE SEQUENCE bench_rows_number`);
  await db.query(`CREATE TABLE bench_rows (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    number text NOT NULL UNIQUE DEFAULT 'INC' || lpad(nextval('bench_rows_number')::text, 7, '0'),
    kind text NOT NULL DEFAULT 'incident',
    title text NOT NULL,
    description text NOT NULL,
    requester_id uuid NOT NULL,
    reported_by_id uuid NOT NULL,
    channel text NOT NULL DEFAULT 'api',
    service_id uuid,
    impact smallint NOT NULL,
    urgency smallint NOT NULL,
    priority smallint NOT NULL,
    scope text NOT NULL DEFAULT 'local',
    team_id uuid,
    state text NOT NULL DEFAULT 'new',
    opened_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
  )`);
  await db.query(`INSERT INTO bench_rows (title, description, requester_id, reported_by_id, impact, urgency, priority)
    SELECT 'Row ' || g, 'A ticket-like row for the baseline', gen_random_uuid(), gen_random_uuid(), 2, 2, 3
    FROM generate_series(1, 10000) g`);
  await db.query(`ANALYZE bench_rows`);
  return (await db.query<{ id: string }>(`SELECT id FROM bench_rows ORDER BY random() LIMIT 2000`)).rows.map((r) => r.id);
}
