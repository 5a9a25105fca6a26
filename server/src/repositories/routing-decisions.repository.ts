import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import { routingDecisions } from '../db/schema/index.js';

export type NewRoutingDecisionRow = typeof routingDecisions.$inferInsert;

export async function insertRoutingDecision(db: Db, row: NewRoutingDecisionRow): Promise<void> {
  await db.insert(routingDecisions).values(row).onConflictDoNothing();
}

/** One decision and the first team a person gave the ticket afterwards (null: nobody has yet). */
export interface DecisionOutcome {
  applied: boolean;
  teamId: string | null;
  chosenTeamId: string | null;
}

/**
 * The router's decisions since `since`, each with the first team a person set on the ticket after
 * it: read from the timeline's `assigned` events by a person (actor set), so the feedback is what
 * the audit trail says, with nothing to keep in step.
 */
export async function listDecisionOutcomes(db: Db, since: Date): Promise<DecisionOutcome[]> {
  const result = await db.execute(sql`
    SELECT d.applied, d.team_id AS "teamId", chosen.team_id AS "chosenTeamId"
    FROM routing_decisions d
    LEFT JOIN LATERAL (
      SELECT c.value ->> 'to' AS team_id
      FROM timeline_events e CROSS JOIN LATERAL jsonb_array_elements(e.changes) c
      WHERE e.ticket_id = d.ticket_id AND e.type = 'assigned' AND e.actor_id IS NOT NULL AND c.value ->> 'field' = 'teamId'
      ORDER BY e.id
      LIMIT 1
    ) chosen ON true
    WHERE d.decided_at >= ${since}
  `);
  return rowsOf<DecisionOutcome>(result);
}
