import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { attachmentPartSweepJob } from '../jobs/specs/attachment-sweep.job-spec.js';
import {
  deleteAttachmentParts,
  deleteOrphanAttachmentParts,
  findAttachmentPart,
  insertAttachmentPart,
} from '../repositories/attachment-parts.repository.js';
import type { ServiceDeps } from './deps.js';

/**
 * Where attachments' bytes live, for uploads and e-mail alike. The embedded engine (PGlite) runs
 * PostgreSQL on the server's own thread, so one statement carrying a 10 MiB file held every other
 * request for half a second. Here a file is written in 256 KiB parts, each its own short
 * statement outside any transaction, with the event loop free between them; the attachment row
 * that makes it visible is then committed (with its timeline entry) in one short transaction.
 * PostgreSQL takes the same path: one way to store, read and clean up.
 */
export const ATTACHMENT_PART_BYTES = 256 * 1024;
/** Parts older than this without an attachment row belong to an upload that died with its process. */
export const ORPHAN_PART_AGE_MS = 60 * 60_000;

/**
 * Writes a file's bytes in parts and answers the id its attachment row must take. Nothing is
 * visible until that row is committed; if writing fails, the parts written so far are removed.
 */
export async function storeAttachmentContent(deps: ServiceDeps, content: Buffer): Promise<string> {
  const attachmentId = randomUUID();
  const createdAt = deps.clock.now();
  await cleaningUpOnError(deps.db, [attachmentId], async () => {
    // Even an empty file has one (empty) part, so every attachment has at least one.
    for (let seq = 0, offset = 0; seq === 0 || offset < content.length; seq++, offset += ATTACHMENT_PART_BYTES) {
      await insertAttachmentPart(deps.db, {
        attachmentId,
        seq,
        content: content.subarray(offset, offset + ATTACHMENT_PART_BYTES),
        createdAt,
      });
      // Let requests that arrived meanwhile run (and queue their queries) before the next part:
      // PGlite's answers settle within the current turn, so awaiting them alone never lets them in.
      await nextTurn();
    }
  });
  return attachmentId;
}

/**
 * Runs `work` (typically the transaction that commits the attachment rows); if it fails, the
 * parts stored for `attachmentIds` are removed before the error goes on. Should removing fail
 * too, both errors go on together, and the sweep removes the parts later.
 */
export async function cleaningUpOnError<T>(db: Db, attachmentIds: string[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    try {
      await deleteAttachmentParts(db, attachmentIds);
    } catch (cleanupErr) {
      throw new AggregateError([err, cleanupErr], 'the request failed, and so did removing the parts of its attachments (the sweep will)');
    }
    throw err;
  }
}

/** Removes stored bytes no attachment row will ever name (an e-mail that turned out to be ignored). */
export async function discardAttachmentContent(db: Db, attachmentIds: string[]): Promise<void> {
  await deleteAttachmentParts(db, attachmentIds);
}

/**
 * An attachment's bytes as a stream, one part per query, so a download holds the embedded
 * engine no longer than a part at a time. A file whose parts do not add up to its recorded size
 * ends the stream with an error (the client sees a cut download, the log says why).
 */
export function readAttachmentContent(db: Db, attachment: { id: string; size: number }): Readable {
  async function* parts() {
    let next = 0;
    let total = 0;
    for (;;) {
      const part = await findAttachmentPart(db, attachment.id, next);
      if (!part) break;
      total += part.content.length;
      yield part.content;
      next = part.seq + 1;
      // PGlite answers without ever leaving the current turn of the event loop (its promises
      // settle as microtasks), and a fast reader asks for the next part at once: without this,
      // reading every part would hold the server as long as one big statement did.
      await nextTurn();
    }
    if (total !== attachment.size) {
      throw new Error(`attachment ${attachment.id} has ${total} bytes stored, but ${attachment.size} recorded`);
    }
  }
  return Readable.from(parts(), { objectMode: false });
}

/** The whole file in memory: for small files and tests; downloads use the stream. */
export async function readAttachmentBytes(db: Db, attachment: { id: string; size: number }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of readAttachmentContent(db, attachment)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Removes the parts of uploads that never committed and are older than `ORPHAN_PART_AGE_MS`. */
export async function sweepOrphanAttachmentParts(deps: ServiceDeps): Promise<number> {
  return deleteOrphanAttachmentParts(deps.db, new Date(deps.clock.now().getTime() - ORPHAN_PART_AGE_MS));
}

/**
 * The sweep is one recurring job, run on the hour grid (each run's instant is a whole multiple of
 * `ORPHAN_PART_AGE_MS`), so however many processes start, "this hour's sweep" is one row.
 */
const sweepSlot = (at: Date, hoursAhead: number) =>
  new Date((Math.floor(at.getTime() / ORPHAN_PART_AGE_MS) + hoursAhead) * ORPHAN_PART_AGE_MS);

/**
 * Called at every start: asks for this hour's sweep, due at once — a no-op if it ran already
 * or is waiting (the previous run scheduled it), so the chain exists after any start, including
 * the first and one after the chain was lost.
 */
export async function scheduleOrphanPartSweep(deps: ServiceDeps): Promise<void> {
  const now = deps.clock.now();
  await scheduleJob(deps.db, attachmentPartSweepJob, {}, { runAt: sweepSlot(now, 0), now });
}

/**
 * The job: schedules the next hour's run first, so a sweep that fails does not end the chain,
 * then sweeps. Answers how many parts it removed.
 */
export async function runOrphanPartSweep(deps: ServiceDeps): Promise<number> {
  const now = deps.clock.now();
  await scheduleJob(deps.db, attachmentPartSweepJob, {}, { runAt: sweepSlot(now, 1), now });
  return sweepOrphanAttachmentParts(deps);
}
