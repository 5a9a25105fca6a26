import { z } from 'zod';

const DatabaseKind = z.enum(['pglite', 'postgres']);

export const Health = z.object({ status: z.literal('ok'), database: DatabaseKind, time: z.string() });

export const HealthUnavailable = z.object({ status: z.literal('unavailable'), database: DatabaseKind, detail: z.string() });

/** What this server is set up to do, for the web UI. */
export const Features = z.object({ emailOut: z.boolean() });
