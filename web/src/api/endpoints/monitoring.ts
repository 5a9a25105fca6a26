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

// Alerts, built-in checks, integrations, and the admin's view of work that failed.

export const alerts = () => request<PageT<AlertT>>('GET', '/alerts?limit=100');
export const checks = () => request<ListT<CheckT>>('GET', '/checks');
export const checkResults = (checkId: string) => request<ListT<CheckResultT>>('GET', `/checks/${checkId}/results`);
export const createCheck = (body: CreateCheckIn) => request<CheckT>('POST', '/checks', body);
export const updateCheck = (id: string, body: UpdateCheckIn) => request<CheckT>('PATCH', `/checks/${id}`, body);
export const runCheck = (id: string) => request<CheckT>('POST', `/checks/${id}/run`);
export const removeCheck = (id: string) => request<null>('DELETE', `/checks/${id}`);
export const integrations = () => request<ListT<IntegrationT>>('GET', '/integrations');
export const createIntegration = (body: CreateIntegrationIn) => request<CreatedIntegrationT>('POST', '/integrations', body);
/** Its rules are edited against the version shown, so two admins do not overwrite each other. */
export const updateIntegration = (id: string, body: UpdateIntegrationIn, version?: number) =>
  request<IntegrationT>('PATCH', `/integrations/${id}`, body, version === undefined ? {} : { ifMatch: version });
export const rotateIntegrationToken = (id: string) => request<CreatedIntegrationT>('POST', `/integrations/${id}/token`);
export const removeIntegration = (id: string) => request<IntegrationT>('DELETE', `/integrations/${id}`);
export const refusedDeliveries = (params: { integrationId?: string; cursor?: string; limit: string }) =>
  request<PageT<RefusedDeliveryT>>('GET', `/refused-alert-deliveries${toQuery(params)}`);
export const inboundEmails = () => request<ListT<InboundEmailT>>('GET', '/inbound-emails?limit=100');
export const failedWork = (params: { limit: string; cursor?: string }) => request<PageT<FailedJobT>>('GET', `/jobs/dead${toQuery(params)}`);
export const retryFailedWork = (body: RetryFailedWorkIn) => request<{ retried: string[] }>('POST', '/jobs/dead/retry', body);
export const unsentMail = () => request<{ count: number; emailOut: boolean }>('GET', '/jobs/unsent-mail');
export const sendUnsentMail = () => request<{ queued: number }>('POST', '/jobs/unsent-mail/send');
