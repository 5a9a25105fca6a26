import type { Tx } from '../db/client.js';
import { scheduleJob } from '../jobs/schedule.js';
import { STORM_DEBOUNCE_MS, stormDetectJob } from '../jobs/specs/storm-detect.job-spec.js';

/**
 * The `detect_storm` follow-up of a new incident or disturbance: asks for the storm detector at
 * the end of the current debounce bucket. One `INSERT … ON CONFLICT DO NOTHING` on
 * the report path; the counting happens in the job, off the report path.
 */
export async function scheduleStormDetection(tx: Tx, at: Date): Promise<void> {
  if (!stormDetectionSwitch.on) return;
  const runAt = new Date((Math.floor(at.getTime() / STORM_DEBOUNCE_MS) + 1) * STORM_DEBOUNCE_MS);
  await scheduleJob(tx, stormDetectJob, {}, { runAt, now: at });
}

/**
 * Off only in the benchmark's baseline half (`bench/storm.ts`), which measures the report rate
 * without detection beside the rate with it, in the same run. Nothing else turns it off.
 */
export const stormDetectionSwitch = { on: true };
