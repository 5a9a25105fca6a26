import type { z } from 'zod';
import type { SimilarIncidents } from '../../../../core/contracts/similar-incidents';
import { request } from '../client';

// Similar past incidents on the desk's ticket page (issue 17, item 8).

export type SimilarIncidentsT = z.infer<typeof SimilarIncidents>;

export const forTicket = (ticketId: string) => request<SimilarIncidentsT>('GET', `/tickets/${ticketId}/similar`);
