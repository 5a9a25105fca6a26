import { z } from 'zod';
import { defineJobSpec } from '../job-spec.js';

/** A page step's timeout: pages the next step if the page is still triggered at this very step. */
export const pageTimeoutJob = defineJobSpec({
  kind: 'page.timeout',
  payload: z.object({ pageId: z.guid(), round: z.number().int().nonnegative(), level: z.number().int().nonnegative() }),
  maxAttempts: 8,
  idOf: (p) => `page.timeout:${p.pageId}:${p.round}:${p.level}`,
});
