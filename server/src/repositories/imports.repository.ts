import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Role, TicketKind } from '../../../core/vocabulary.js';
import { type Db, rowsOf, type Tx } from '../db/client.js';
import { importedRecords, importLock } from '../db/schema/index.js';

export type ImportedRecordRow = typeof importedRecords.$inferSelect;

/**
 * Takes the one import lock, or says who holds it. The lock is a single row with a lease: taken
 * when free or when the holder stopped renewing it (an import killed halfway), in one statement
 * so two importers starting together cannot both win.
 */
export async function takeImportLock(
  db: Db,
  holder: string,
  now: Date,
  leaseUntil: Date,
): Promise<{ ok: true } | { ok: false; holder: string; startedAt: Date }> {
  const taken = rowsOf<{ holder: string }>(
    await db.execute(sql`
      INSERT INTO import_lock (id, holder, started_at, lease_until) VALUES (1, ${holder}, ${now}, ${leaseUntil})
      ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, started_at = EXCLUDED.started_at, lease_until = EXCLUDED.lease_until
      WHERE import_lock.lease_until < ${now}
      RETURNING holder`),
  );
  if (taken.length > 0) return { ok: true };
  const [held] = await db.select().from(importLock).where(eq(importLock.id, 1));
  return { ok: false, holder: held?.holder ?? 'another import', startedAt: held?.startedAt ?? now };
}

/** Keeps the lease while the import runs. */
export async function renewImportLock(db: Db, holder: string, leaseUntil: Date): Promise<void> {
  await db
    .update(importLock)
    .set({ leaseUntil })
    .where(and(eq(importLock.id, 1), eq(importLock.holder, holder)));
}

export async function releaseImportLock(db: Db, holder: string): Promise<void> {
  await db.delete(importLock).where(and(eq(importLock.id, 1), eq(importLock.holder, holder)));
}

export async function findImportedRecords(db: Db, source: string, numbers: string[]): Promise<Map<string, ImportedRecordRow>> {
  if (numbers.length === 0) return new Map();
  const rows = await db
    .select()
    .from(importedRecords)
    .where(and(eq(importedRecords.source, source), inArray(importedRecords.sourceNumber, numbers)));
  return new Map(rows.map((r) => [r.sourceNumber, r]));
}

/** What a batch imported, in one statement in the batch's transaction. */
export async function saveImportedRecords(tx: Tx, rows: ImportedRecordRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(importedRecords)
    .values(rows)
    .onConflictDoUpdate({
      target: [importedRecords.source, importedRecords.sourceNumber],
      set: {
        ticketId: sql`excluded.ticket_id`,
        modCount: sql`excluded.mod_count`,
        snapshot: sql`excluded.snapshot`,
        importedAt: sql`excluded.imported_at`,
      },
    });
}

/** Which of these numbers tickets here already have. */
export async function takenTicketNumbers(db: Db, numbers: string[]): Promise<Set<string>> {
  if (numbers.length === 0) return new Set();
  // Each number looked up on its own in the unique index (a LATERAL … LIMIT 1 is a nested loop,
  // and for one number the unique index is the cheapest plan whatever the statistics say). As
  // `number IN (…)` the planner chose the number's trigram index, whose pending list grows with
  // every batch an import inserts and was read whole (0.4 s a batch at 2,500 tickets); as a
  // semi-join, a hash over every ticket (2.4 s a batch at 25,000).
  const rows = rowsOf<{ number: string }>(
    await db.execute(
      sql`SELECT n.number FROM unnest(${sql.param(numbers)}::text[]) AS n(number)
        CROSS JOIN LATERAL (SELECT 1 FROM tickets t WHERE t.number = n.number ORDER BY t.number LIMIT 1) found`,
    ),
  );
  return new Set(rows.map((r) => r.number));
}

const SEQUENCE_BY_KIND: Record<TicketKind, string> = {
  incident: 'ticket_number_incident',
  service_request: 'ticket_number_service_request',
  disturbance: 'ticket_number_disturbance',
  problem: 'ticket_number_problem',
  change: 'ticket_number_change',
};

/** Moves a kind's number sequence past `sequence`, so new tickets never draw an imported number. */
export async function moveNumberSequencePast(db: Db, kind: TicketKind, sequence: number): Promise<void> {
  const name = SEQUENCE_BY_KIND[kind];
  await db.execute(sql`SELECT setval(${name}::regclass, GREATEST(${sequence}::bigint, (SELECT last_value FROM ${sql.identifier(name)})))`);
}

/** People by name (case-insensitive), for the names an export gives. */
export async function findPeopleByNames(
  db: Db,
  names: string[],
): Promise<Map<string, { id: string; role: Role; organisation: string | null }>> {
  if (names.length === 0) return new Map();
  const rows = rowsOf<{ id: string; role: Role; organisation: string | null; key: string }>(
    await db.execute(sql`SELECT DISTINCT ON (lower(name)) id, role, organisation, lower(name) AS key FROM users
      WHERE lower(name) IN (${sql.join(
        names.map((n) => sql`${n.toLowerCase()}`),
        sql`, `,
      )}) ORDER BY lower(name), active DESC, created_at`),
  );
  return new Map(rows.map((r) => [r.key, { id: r.id, role: r.role, organisation: r.organisation }]));
}

/**
 * People an import met who are not here: deactivated, without a password (they cannot sign in
 * until an admin invites them), with a made-up address under `.invalid` so no mail reaches anyone.
 * An address already taken (a second import) is the same person.
 */
export async function insertImportedPeople(db: Db, people: { name: string; email: string; role: Role }[], now: Date): Promise<void> {
  if (people.length === 0) return;
  await db.execute(sql`INSERT INTO users (email, name, role, active, time_zone, created_at, updated_at)
    VALUES ${sql.join(
      people.map((p) => sql`(${p.email}, ${p.name}, ${p.role}, false, 'UTC', ${now}, ${now})`),
      sql`, `,
    )}
    ON CONFLICT ((lower(email))) DO NOTHING`);
}

/** An imported person met later as staff: a requester becomes an agent (people made here are left alone). */
export async function promoteImportedPeople(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`UPDATE users SET role = 'agent' WHERE role = 'requester' AND active = false AND password_hash IS NULL
    AND email LIKE '%@servicenow.import.invalid' AND id IN (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`);
}

/** Refreshes the planner's statistics after a large load, so the next queries plan for its size. */
export async function analyzeAfterImport(db: Db): Promise<void> {
  await db.execute(sql`ANALYZE tickets, timeline_events, users, teams, categories, imported_records`);
}

/**
 * The same while an import runs, for the tables its batches read (by number, by source record,
 * by person): planned for the empty tables a first import starts from, those lookups scan.
 */
export async function analyzeWhileImporting(db: Db): Promise<void> {
  await db.execute(sql`ANALYZE tickets, imported_records, users`);
}

/** Teams by name, those missing created (a source's groups become teams), all in two statements. */
export async function ensureTeams(db: Db, names: string[], now: Date): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < names.length; i += 1000) {
    const chunk = names.slice(i, i + 1000);
    await db.execute(
      sql`INSERT INTO teams (name, created_at) VALUES ${sql.join(
        chunk.map((n) => sql`(${n}, ${now})`),
        sql`, `,
      )} ON CONFLICT ((lower(name))) DO NOTHING`,
    );
    const rows = rowsOf<{ id: string; key: string }>(
      await db.execute(
        sql`SELECT id, lower(name) AS key FROM teams WHERE lower(name) IN (${sql.join(
          chunk.map((n) => sql`${n.toLowerCase()}`),
          sql`, `,
        )})`,
      ),
    );
    for (const r of rows) out.set(r.key, r.id);
  }
  return out;
}

/** Categories (no parent) or subcategories (of `parentId`) by name, those missing created. */
export async function ensureCategories(db: Db, parentId: string | null, names: string[], now: Date): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const parentKey = parentId ?? '00000000-0000-0000-0000-000000000000';
  for (let i = 0; i < names.length; i += 1000) {
    const chunk = names.slice(i, i + 1000);
    await db.execute(
      sql`INSERT INTO categories (name, parent_id, created_at) VALUES ${sql.join(
        chunk.map((n) => sql`(${n}, ${parentId}::uuid, ${now})`),
        sql`, `,
      )} ON CONFLICT ((coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid)), (lower(name))) DO NOTHING`,
    );
    const rows = rowsOf<{ id: string; key: string }>(
      await db.execute(sql`SELECT id, lower(name) AS key FROM categories
        WHERE coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid) = ${parentKey}::uuid
          AND lower(name) IN (${sql.join(
            chunk.map((n) => sql`${n.toLowerCase()}`),
            sql`, `,
          )})`),
    );
    for (const r of rows) out.set(r.key, r.id);
  }
  return out;
}
