import type { z } from 'zod';
import type { Check, CheckResult } from '../../../core/contracts/alerts';

export type CheckT = z.infer<typeof Check>;
export type CheckResultT = z.infer<typeof CheckResult>;
