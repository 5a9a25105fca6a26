import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import * as monitoringApi from './endpoints/monitoring';
import { keys } from './keys';
import type { CheckT } from './types';

// Reads of monitoring and of the admin's views of integrations, mail and failed work.

/** While a probe is due (just added, edited, resumed or "check now"), look again every second until it ran. */
const checksRefetch = (items: CheckT[] | undefined) =>
  items?.some((c) => c.active && c.nextRunAt && Date.now() - Date.parse(c.nextRunAt) >= 0 && Date.now() - Date.parse(c.nextRunAt) < 120_000)
    ? 1_000
    : 15_000;

export function useChecks() {
  return useQuery({
    queryKey: keys.monitoring.checks,
    queryFn: monitoringApi.checks,
    refetchInterval: (query) => checksRefetch(query.state.data?.items),
  });
}

/** Keyed on the check's last run, so a new probe refreshes the chart as soon as the check says so. */
export function useCheckResults(check: CheckT) {
  return useQuery({
    queryKey: keys.monitoring.checkResults.of(check.id, check.lastRunAt),
    queryFn: () => monitoringApi.checkResults(check.id),
    placeholderData: (previous) => previous,
  });
}

/** The alerts, read again when a check ran (a probe may have fired or resolved one) and every 30 s. */
export function useAlerts(latestRun: string) {
  return useQuery({
    queryKey: keys.monitoring.alerts(latestRun),
    queryFn: monitoringApi.alerts,
    refetchInterval: 30_000,
    placeholderData: (previous) => previous,
  });
}

export function useIntegrations() {
  return useQuery({ queryKey: keys.monitoring.integrations, queryFn: monitoringApi.integrations });
}

export function useRefusedDeliveries(integrationId?: string) {
  return useInfiniteQuery({
    queryKey: keys.monitoring.refusedDeliveries(integrationId),
    queryFn: ({ pageParam }) => monitoringApi.refusedDeliveries({ integrationId, cursor: pageParam ?? undefined, limit: '20' }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useInboundEmails() {
  return useQuery({ queryKey: keys.monitoring.inboundEmails, queryFn: monitoringApi.inboundEmails });
}

export function useFailedWork(pageSize: number) {
  return useInfiniteQuery({
    queryKey: keys.monitoring.failedWork,
    queryFn: ({ pageParam }) => monitoringApi.failedWork({ limit: String(pageSize), cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useUnsentMail() {
  return useQuery({ queryKey: keys.monitoring.unsentMail, queryFn: monitoringApi.unsentMail });
}
