import type { Tx } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { STORM_DEBOUNCE_MS, stormDetectJob } from '../jobs/specs/storm-detect.job-spec.js';

/**
 * The debounce buckets whose storm check this process found already in the database (committed by
 * some transaction), so its later reports in the same second skip the INSERT … ON CONFLICT DO
 * NOTHING that would change nothing: one statement fewer per report, and no wait on the row while
 * another report's transaction holds it. A bucket this process inserted itself is not remembered:
 * its transaction may still roll back. One per server process (`buildApp`); absent, every report
 * asks the database as before.
 */
export class StormChecksSeen {
  private readonly buckets = new Set<number>();

  has(bucket: number): boolean {
    return this.buckets.has(bucket);
  }

  /** Keeps the buckets from `bucket` on: reports only ask for the bucket of their own instant. */
  add(bucket: number): void {
    for (const older of this.buckets) if (older < bucket) this.buckets.delete(older);
    this.buckets.add(bucket);
  }
}

/**
 * The `detect_storm` follow-up of a new incident or disturbance: asks for the storm detector at
 * the end of the current debounce bucket. One `INSERT … ON CONFLICT DO NOTHING` on
 * the report path, none once this process has seen the bucket's check committed; the counting
 * happens in the job, off the report path.
 */
export async function scheduleStormDetection(tx: Tx, at: Date, seen?: StormChecksSeen): Promise<void> {
  if (!stormDetectionSwitch.on) return;
  const bucket = (Math.floor(at.getTime() / STORM_DEBOUNCE_MS) + 1) * STORM_DEBOUNCE_MS;
  if (seen?.has(bucket)) return;
  const inserted = await scheduleJob(tx, stormDetectJob, {}, { runAt: new Date(bucket), now: at });
  if (!inserted) seen?.add(bucket);
}

/**
 * Off only in the benchmark's baseline half (`bench/storm.ts`), which measures the report rate
 * without detection beside the rate with it, in the same run. Nothing else turns it off.
 */
export const stormDetectionSwitch = { on: true };
