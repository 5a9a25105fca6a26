import type { z } from 'zod';
import type {
  CreateProblem,
  KnownErrors,
  LinkIncidentsResult,
  ProblemLinks,
  RequesterKnownErrors,
  ServiceImpact,
} from '../../../../core/contracts/problems';
import { request } from '../client';
import type { TicketT } from '../types';

// Problems and known errors, and service impact (issue 17).

export type ProblemLinksT = z.infer<typeof ProblemLinks>;
export type KnownErrorsT = z.infer<typeof KnownErrors>;
export type ServiceImpactT = z.infer<typeof ServiceImpact>;
export type RequesterKnownErrorsT = z.infer<typeof RequesterKnownErrors>;

export const create = (body: z.input<typeof CreateProblem>, idempotencyKey: string) =>
  request<TicketT>('POST', '/problems', body, { idempotencyKey });
export const update = (
  id: string,
  version: number,
  patch: { rootCause?: string | null; workaround?: string | null; publicWorkaround?: string | null },
) => request<TicketT>('PATCH', `/problems/${id}`, patch, { ifMatch: version });
export const markKnownError = (id: string, version: number, known: boolean) =>
  request<TicketT>(known ? 'PUT' : 'DELETE', `/problems/${id}/known-error`, undefined, { ifMatch: version });
export const linkIncidents = (id: string, version: number, incidentIds: string[]) =>
  request<z.infer<typeof LinkIncidentsResult>>('POST', `/problems/${id}/incidents`, { incidentIds }, { ifMatch: version });
export const unlinkIncident = (id: string, version: number, incidentId: string) =>
  request<TicketT>('DELETE', `/problems/${id}/incidents/${incidentId}`, undefined, { ifMatch: version });
export const links = (ticketId: string) => request<ProblemLinksT>('GET', `/tickets/${ticketId}/problem-links`);
export const knownErrors = (ticketId: string) => request<KnownErrorsT>('GET', `/tickets/${ticketId}/known-errors`);
export const serviceImpact = (ticketId: string) => request<ServiceImpactT>('GET', `/tickets/${ticketId}/service-impact`);
/** The portal's deflection: known errors that may be what a requester is reporting, with their public workaround only. */
export const forReport = (q: string, serviceId: string | undefined, signal?: AbortSignal) =>
  request<RequesterKnownErrorsT>(
    'GET',
    `/known-errors/for-report?q=${encodeURIComponent(q)}${serviceId ? `&serviceId=${encodeURIComponent(serviceId)}` : ''}`,
    undefined,
    { signal },
  );
/** "This solved it" on a known error in the portal: the report ends without a ticket, counted once per person on the problem. */
export const solvedKnownError = async (id: string) => {
  await request<null>('POST', `/known-errors/${id}/solved`);
  return true;
};
