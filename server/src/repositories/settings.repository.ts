import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { preparedPerDb } from '../db/prepared.js';
import { settings } from '../db/schema/index.js';

const settingQuery = preparedPerDb((db) =>
  db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, sql.placeholder('key')))
    .prepare('setting_by_key'),
);

export async function readSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const [row] = await settingQuery(db).execute({ key });
  return row?.value as T | undefined;
}

export async function writeSetting(db: Db, key: string, value: unknown, now: Date): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
}

/** Stores `value` under `key` unless a value is there already, and returns whichever is stored. */
export async function readOrInitSetting<T>(db: Db, key: string, value: T, now: Date): Promise<T> {
  await db.insert(settings).values({ key, value, updatedAt: now }).onConflictDoNothing();
  return (await readSetting<T>(db, key)) as T;
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.delete(settings).where(eq(settings.key, key));
}
