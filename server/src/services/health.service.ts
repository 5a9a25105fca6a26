import type { Db } from '../db/client.js';
import { pingDatabase } from '../repositories/health.repository.js';

/** Whether the database answers: resolves when it does, throws (with the driver's reason) when it does not. */
export async function checkDatabase(db: Db): Promise<void> {
  await pingDatabase(db);
}
