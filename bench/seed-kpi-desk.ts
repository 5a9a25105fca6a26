/**
 * A desk of up to a million tickets for the dashboard's benchmark (bench/kpis.ts), fast: each
 * 100,000 tickets are one INSERT … SELECT generate_series statement that writes the tickets with
 * their KPI facts already on the row (counters, business times, breach flag, category), titles and
 * descriptions of bench/seed.ts's words ("VPN disconnects every few minutes"), their `created` and
 * `sla_breached` timeline events (and, with `eventsPerTicket`, a conversation) and their ratings,
 * the rollup triggers off, the two text-search indexes and the timeline's by-ticket index dropped
 * and built again at the end (building once costs far less than updating them a million times). What migration 0051's backfill would derive from the timelines
 * and calendars is written directly: business times as a third of the wall-clock times.
 *
 * The spread: tickets opened evenly over the last two years; open while their own time to resolve
 * has not passed, and a tenth of the last 30 days' tickets stuck open besides (a backlog of a few
 * days' intake: the seed once left 22 % of all tickets open, every one opened in the last 30 days,
 * so the last month held five times a month's acknowledgements and no resolution); of the
 * finished, 70 : 5 : 3 closed, resolved, cancelled (resolved while not yet 3 days old);
 * incidents and a quarter service requests; priorities
 * skewed low (impact × urgency); 8 teams, 15 services, 6 categories; first answers log-uniform from
 * a minute to 18 hours, resolutions from a minute to 6 days; 20 % reassigned, 5 % reopened, 60 %
 * under an SLA policy of which 15 % breached, 0.1 % major incidents, 20 % of closed tickets rated.
 */
import { weekdayCalendar } from '../core/business-calendar.js';
import { list, pick, SITES, type Sql, SUBJECTS, SYMPTOMS, seedDirectory } from './seed.js';

const CHUNK = 100_000;
/**
 * Dropped during the load and built again after it (CREATE INDEX as in the migrations): the two
 * text-search indexes, and the timeline's by-ticket index, whose random ticket ids would make ten
 * million inserts ten million random page writes.
 */
const REBUILT_INDEXES = ['tickets_search_idx', 'tickets_number_trgm_idx', 'timeline_events_ticket_idx'];
/** Migration 0070's live announcement per event written: nobody listens to a seed. */
const ANNOUNCE_TRIGGER = 'timeline_events_announce';

export interface KpiDeskOptions {
  /**
   * Timeline events per ticket (at least 1, the default: its `created` event, plus `sla_breached`
   * on breached tickets). More adds a conversation after it, comments and work notes alternating
   * (bench/lists.ts: 10, so a million tickets carry ten million events).
   */
  eventsPerTicket?: number;
}

export async function seedKpiDesk(sql: Sql, total: number, log: (line: string) => void, options: KpiDeskOptions = {}): Promise<number> {
  await seedDirectory(sql);
  await sql.query(`INSERT INTO categories (name, created_at)
      SELECT c, now() FROM unnest(ARRAY['Hardware', 'Software', 'Access', 'Network', 'Request', 'Security']) c ON CONFLICT DO NOTHING`);
  const office = weekdayCalendar('Europe/London', [{ start: 9 * 60, end: 17 * 60 }]);
  const [calendar] = (
    await sql.query<{ id: string }>(
      `INSERT INTO business_calendars (name, time_zone, week, holidays, created_at)
       VALUES ('Office', 'Europe/London', '${JSON.stringify(office.week)}', '[]', now()) RETURNING id`,
    )
  ).rows;
  const [policy] = (
    await sql.query<{ id: string }>(
      `INSERT INTO sla_policies (name, position, match, calendar_id, resolution_minutes, pause_on_hold_reasons, created_at)
       VALUES ('Office hours', 1, '{}', '${calendar.id}', 960, '[]', now()) RETURNING id`,
    )
  ).rows;
  const definitions = (
    await sql.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE indexname IN (${REBUILT_INDEXES.map((i) => `'${i}'`).join(', ')})`,
    )
  ).rows;
  for (const { name } of definitions) await sql.query(`DROP INDEX ${name}`);
  await sql.query(`ALTER TABLE timeline_events DISABLE TRIGGER ${ANNOUNCE_TRIGGER}`);
  const at = performance.now();
  for (let done = 0; done < total; done += CHUNK) {
    await sql.query(insertChunk(Math.min(CHUNK, total - done), policy.id, Math.max(1, options.eventsPerTicket ?? 1)));
    log(`  ${Math.min(done + CHUNK, total)} tickets written (${((performance.now() - at) / 1000).toFixed(0)} s)`);
  }
  await sql.query(`ALTER TABLE timeline_events ENABLE TRIGGER ${ANNOUNCE_TRIGGER}`);
  const indexedAt = performance.now();
  for (const { def } of definitions) await sql.query(def);
  log(`  search and timeline indexes built again in ${((performance.now() - indexedAt) / 1000).toFixed(1)} s`);
  await sql.query('VACUUM ANALYZE');
  return Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM tickets`)).rows[0].n);
}

function insertChunk(count: number, policyId: string, eventsPerTicket: number): string {
  return `
    WITH refs AS (
      SELECT (SELECT array_agg(id ORDER BY email) FROM users WHERE email LIKE 'bench-agent-%') AS agents,
             (SELECT array_agg(id ORDER BY email) FROM users WHERE email LIKE 'bench-requester-%') AS requesters,
             (SELECT array_agg(id ORDER BY name) FROM teams) AS teams,
             (SELECT array_agg(id ORDER BY name) FROM services) AS services,
             (SELECT array_agg(id ORDER BY name) FROM categories) AS categories
    ),
    draw AS (
      SELECT random() AS s, random() AS i, random() AS u, random() AS age, random() AS k, random() AS who, random() AS t,
             random() AS a, random() AS sv, random() AS c, random() AS ack, random() AS res, random() AS re, random() AS op,
             random() AS pol, random() AS br, random() AS mj, random() AS rp, random() AS fin, random() AS w1, random() AS w2, random() AS w3
      FROM generate_series(1, ${count})
    ),
    timed AS (
      SELECT d.*, now() - age * interval '730 days' AS opened,
        exp(ack * 7) * interval '1 minute' AS to_answer,
        exp(res * 9) * interval '1 minute' AS to_resolve
      FROM draw d
    ),
    -- Open: not resolved yet by its own time to resolve, or one of the few stuck (10 % of the last 30 days).
    shaped AS (
      SELECT timed.*,
        CASE WHEN opened + to_resolve > now() OR (opened > now() - interval '30 days' AND s < 0.10)
               THEN CASE WHEN opened + to_answer > now() OR op < 0.27 THEN 'new' WHEN op < 0.54 THEN 'assigned'
                         WHEN op < 0.86 THEN 'in_progress' ELSE 'on_hold' END
             WHEN fin < 3.0 / 78 THEN 'cancelled'
             WHEN fin < 8.0 / 78 OR opened + to_resolve + interval '3 days' > now() THEN 'resolved'
             ELSE 'closed' END AS state,
        CASE WHEN k < 0.75 THEN 'incident' ELSE 'service_request' END AS kind,
        CASE WHEN i < 0.10 THEN 1 WHEN i < 0.35 THEN 2 ELSE 3 END AS impact,
        CASE WHEN u < 0.15 THEN 1 WHEN u < 0.45 THEN 2 ELSE 3 END AS urgency
      FROM timed
    ),
    ins AS (
      INSERT INTO tickets (kind, number, title, description, requester_id, reported_by_id, channel, service_id, category_id,
        impact, urgency, priority, scope, team_id, assignee_id, state, opened_at, first_response_at, resolved_at, closed_at,
        updated_at, updated_by_id, reassignment_count, reopen_count, staff_reply_count, sla_policy_id, sla_breached,
        business_acknowledge_ms, business_resolve_ms, major_since)
      SELECT kind::ticket_kind,
        CASE WHEN kind = 'incident' THEN 'INC' || lpad(nextval('ticket_number_incident')::text, 7, '0')
             ELSE 'REQ' || lpad(nextval('ticket_number_service_request')::text, 7, '0') END,
        ${pick(list(SUBJECTS), 'w1')} || ' ' || ${pick(list(SYMPTOMS), 'w2')},
        'Reported from the ' || ${pick(list(SITES), 'w3')} || ' office: ' || lower(${pick(list(SUBJECTS), 'w1')}) || ' '
          || ${pick(list(SYMPTOMS), 'w2')} || ' since this morning. Written by bench/seed-kpi-desk.ts.',
        refs.requesters[1 + floor(who * 2000)::int], refs.agents[1 + floor(a * 40)::int], 'portal',
        refs.services[1 + floor(sv * array_length(refs.services, 1))::int],
        refs.categories[1 + floor(c * array_length(refs.categories, 1))::int],
        impact, urgency, impact + urgency - 1, CASE WHEN impact = 1 THEN 'global' ELSE 'local' END::scope,
        refs.teams[1 + floor(t * array_length(refs.teams, 1))::int],
        CASE WHEN state IN ('new', 'cancelled') THEN NULL ELSE refs.agents[1 + floor(a * 40)::int] END,
        state::ticket_state, opened,
        CASE WHEN state <> 'new' THEN opened + least(to_answer, coalesce(CASE WHEN state IN ('resolved', 'closed') THEN to_resolve END, to_answer)) END,
        CASE WHEN state IN ('resolved', 'closed') THEN opened + to_resolve END,
        CASE WHEN state = 'closed' THEN opened + to_resolve + interval '3 days' END,
        opened + to_resolve, refs.agents[1 + floor(a * 40)::int],
        CASE WHEN re < 0.2 THEN 1 + floor(re * 15)::int ELSE 0 END,
        CASE WHEN op < 0.05 AND state IN ('resolved', 'closed') THEN 1 ELSE 0 END,
        floor(rp * 4)::int,
        CASE WHEN pol < 0.6 THEN '${policyId}'::uuid END,
        pol < 0.6 AND br < 0.15,
        CASE WHEN pol < 0.6 AND state <> 'new' THEN (extract(epoch FROM least(to_answer, to_resolve)) * 1000 / 3)::bigint END,
        CASE WHEN pol < 0.6 AND state IN ('resolved', 'closed') THEN (extract(epoch FROM to_resolve) * 1000 / 3)::bigint END,
        CASE WHEN mj < 0.001 AND kind = 'incident' THEN opened + interval '10 minutes' END
      FROM shaped, refs
      RETURNING id, reported_by_id, requester_id, opened_at, priority, sla_breached, state, closed_at
    ),
    events AS (
      INSERT INTO timeline_events (ticket_id, type, actor_id, at, internal, data)
      SELECT id, 'created'::timeline_event_type, reported_by_id, opened_at, false, jsonb_build_object('routedBy', 'service', 'priority', priority, 'state', 'new')
        FROM ins
      UNION ALL
      SELECT id, 'sla_breached'::timeline_event_type, NULL::uuid, opened_at + interval '16 hours', true, '{}'::jsonb FROM ins WHERE sla_breached
    ),
    conversation AS (
      INSERT INTO timeline_events (ticket_id, type, actor_id, at, internal, body)
      SELECT id, CASE WHEN g % 2 = 1 THEN 'comment' ELSE 'work_note' END::timeline_event_type,
        CASE WHEN g % 2 = 1 THEN requester_id ELSE reported_by_id END, opened_at + g * interval '7 minutes', g % 2 = 0,
        CASE WHEN g % 2 = 1 THEN 'Still happening here, it dropped again a minute ago.' ELSE 'Checked the gateway logs; waiting for the next drop.' END
      FROM ins, generate_series(1, ${eventsPerTicket - 1}) g
    )
    INSERT INTO satisfaction_ratings (ticket_id, user_id, rating, answered_at, changed_at)
    SELECT id, requester_id, 1 + floor(random() * 5)::int, closed_at, closed_at FROM ins WHERE state = 'closed' AND random() < 0.2`;
}
