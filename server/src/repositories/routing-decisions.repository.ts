import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import { routingDecisions } from '../db/schema/index.js';

export type NewRoutingDecisionRow = typeof routingDecisions.$inferInsert;

export async function insertRoutingDecision(db: Db, row: NewRoutingDecisionRow): Promise<void> {
  await db.insert(routingDecisions).values(row).onConflictDoNothing();
}

/** One decision and the first choice a person made afterwards (null: nobody has yet). */
export interface DecisionOutcome {
  applied: boolean;
  /** The router's team or category. */
  decidedId: string | null;
  /** The first team or category a person then gave the ticket. */
  chosenId: string | null;
}

/** Where a person's choice of each target is on the timeline. */
const CHOICE_EVENTS = {
  team: { type: 'assigned', field: 'teamId', column: sql`d.team_id` },
  category: { type: 'field_changed', field: 'categoryId', column: sql`d.category_id` },
} as const;

/**
 * The router's decisions about `target` since `since`, each with the first team (or category) a
 * person set on the ticket after it: read from the timeline's events by a person (actor set), so
 * the feedback is what the audit trail says, with nothing to keep in step.
 */
export async function listDecisionOutcomes(db: Db, since: Date, target: 'team' | 'category'): Promise<DecisionOutcome[]> {
  const choice = CHOICE_EVENTS[target];
  const result = await db.execute(sql`
    SELECT d.applied, ${choice.column} AS "decidedId", chosen.chosen_id AS "chosenId"
    FROM routing_decisions d
    LEFT JOIN LATERAL (
      SELECT c.value ->> 'to' AS chosen_id
      FROM timeline_events e CROSS JOIN LATERAL jsonb_array_elements(e.changes) c
      WHERE e.ticket_id = d.ticket_id AND e.type = ${choice.type} AND e.actor_id IS NOT NULL AND c.value ->> 'field' = ${choice.field}
      ORDER BY e.id
      LIMIT 1
    ) chosen ON true
    WHERE d.decided_at >= ${since} AND d.target = ${target}
  `);
  return rowsOf<DecisionOutcome>(result);
}
