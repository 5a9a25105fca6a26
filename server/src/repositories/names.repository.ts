import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';

/**
 * The display names of whatever these ids are (people, teams, services, categories, SLA
 * policies), in one round trip: what a history needs to say "assigned to Ravi Iyer".
 */
export async function namesByIds(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const list = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const result = await db.execute(sql`
    SELECT id::text, name FROM users WHERE id IN (${list})
    UNION ALL SELECT id::text, name FROM teams WHERE id IN (${list})
    UNION ALL SELECT id::text, name FROM services WHERE id IN (${list})
    UNION ALL SELECT id::text, name FROM categories WHERE id IN (${list})
    UNION ALL SELECT id::text, name FROM sla_policies WHERE id IN (${list})`);
  return new Map(rowsOf<{ id: string; name: string }>(result).map((r) => [r.id, r.name]));
}
