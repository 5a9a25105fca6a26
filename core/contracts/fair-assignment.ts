import { z } from 'zod';
import { ASSIGNMENT_STRATEGIES } from '../fair-assignment.js';

export const AssignmentStrategy = z.enum(ASSIGNMENT_STRATEGIES, { error: 'must be round_robin or least_loaded' });

export const AssignFairlyBody = z.strictObject({ strategy: AssignmentStrategy.optional() }).optional();
