import { request } from '../client';
import type {
  AlertT,
  CheckResultT,
  CheckT,
  CreateCheckIn,
  CreatedIntegrationT,
  CreateIntegrationIn,
  FailedJobT,
  InboundEmailT,
  IntegrationT,
  ListT,
  PageT,
  RefusedDeliveryT,
  RetryFailedWorkIn,
  UpdateCheckIn,
  UpdateIntegrationIn,
} from '../types';
import { toQuery } from './query';

/** Alerts, built-in checks, integrations, and the admin's view of work that failed. */
export const monitoringApi = {
  alerts: () => request<PageT<AlertT>>('GET', '/alerts?limit=100'),
  checks: () => request<ListT<CheckT>>('GET', '/checks'),
  checkResults: (checkId: string) => request<ListT<CheckResultT>>('GET', `/checks/${checkId}/results`),
  createCheck: (body: CreateCheckIn) => request<CheckT>('POST', '/checks', body),
  updateCheck: (id: string, body: UpdateCheckIn) => request<CheckT>('PATCH', `/checks/${id}`, body),
  runCheck: (id: string) => request<CheckT>('POST', `/checks/${id}/run`),
  removeCheck: (id: string) => request<null>('DELETE', `/checks/${id}`),
  integrations: () => request<ListT<IntegrationT>>('GET', '/integrations'),
  createIntegration: (body: CreateIntegrationIn) => request<CreatedIntegrationT>('POST', '/integrations', body),
  /** Its rules are edited against the version shown, so two admins do not overwrite each other. */
  updateIntegration: (id: string, body: UpdateIntegrationIn, version?: number) =>
    request<IntegrationT>('PATCH', `/integrations/${id}`, body, version === undefined ? {} : { ifMatch: version }),
  rotateIntegrationToken: (id: string) => request<CreatedIntegrationT>('POST', `/integrations/${id}/token`),
  removeIntegration: (id: string) => request<IntegrationT>('DELETE', `/integrations/${id}`),
  refusedDeliveries: (params: { integrationId?: string; cursor?: string; limit: string }) =>
    request<PageT<RefusedDeliveryT>>('GET', `/refused-alert-deliveries${toQuery(params)}`),
  inboundEmails: () => request<ListT<InboundEmailT>>('GET', '/inbound-emails?limit=100'),
  failedWork: (params: { limit: string; cursor?: string }) => request<PageT<FailedJobT>>('GET', `/jobs/dead${toQuery(params)}`),
  retryFailedWork: (body: RetryFailedWorkIn) => request<{ retried: string[] }>('POST', '/jobs/dead/retry', body),
  unsentMail: () => request<{ count: number; emailOut: boolean }>('GET', '/jobs/unsent-mail'),
  sendUnsentMail: () => request<{ queued: number }>('POST', '/jobs/unsent-mail/send'),
};
