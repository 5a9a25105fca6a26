import { z } from 'zod';

const DatabaseKind = z.enum(['pglite', 'postgres']);

export const Health = z.object({ status: z.literal('ok'), database: DatabaseKind, time: z.string() });

/** Readiness (GET /api/v1/ready): the database answers and holds every migration. */
export const Ready = z.object({ status: z.literal('ready'), database: DatabaseKind, migrations: z.number().int() });

/** What this server is set up to do, for the web UI. */
export const Features = z.object({ emailOut: z.boolean() });
