import { useQuery } from '@tanstack/react-query';
import type { KpiId } from '../../../../core/kpis/catalogue';
import type { KpiResults } from '../../../../core/kpis/compute';
import { request } from '../../api/client';
import { toQuery } from '../../api/endpoints/query';

/** What JSON makes of a result: instants become ISO text. */
type Wire<T> = T extends Date ? string : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

export interface KpiReportT<K extends KpiId> {
  kpi: K;
  label: string;
  definition: string;
  from: string;
  to: string;
  timeZone: string;
  teamIds: string[] | null;
  generatedAt: string;
  result: Wire<KpiResults[K]>;
}

/** Under one key, so the live stream refreshes every report at once (web/src/live/LiveProvider.tsx). */
export const REPORTS_KEY = ['reports'] as const;

export function useKpi<K extends KpiId>(kpi: K, query: Record<string, string>) {
  return useQuery({
    queryKey: [...REPORTS_KEY, kpi, query],
    queryFn: ({ signal }) => request<KpiReportT<K>>('GET', `/reports/${kpi}${toQuery(query)}`, undefined, { signal }),
    // Filters changed: keep showing the last figures until the new ones arrive, rather than a blank.
    placeholderData: (previous) => previous,
  });
}

export function csvUrl(kpi: KpiId, query: Record<string, string>): string {
  return `/api/v1/reports/${kpi}${toQuery({ ...query, format: 'csv' })}`;
}

/** A saved report as the API answers it (core/contracts/saved-reports.ts). */
export interface SavedReportT {
  id: string;
  name: string;
  kpis: KpiId[];
  filters: {
    periodDays: number;
    teamId?: string[];
    serviceId?: string;
    categoryId?: string;
    priority?: number[];
    kind?: string[];
    timeZone?: string;
  };
  schedule: 'weekly' | 'monthly' | null;
  scheduleLabel: string | null;
  recipients: string[];
  nextSendAt: string | null;
}
export type SaveReportIn = Omit<SavedReportT, 'id' | 'scheduleLabel' | 'nextSendAt'>;

export const SAVED_REPORTS_KEY = ['saved-reports'] as const;

export function useSavedReports() {
  return useQuery({
    queryKey: SAVED_REPORTS_KEY,
    queryFn: ({ signal }) => request<{ items: SavedReportT[] }>('GET', '/reports/saved', undefined, { signal }),
  });
}
export const saveReport = (body: SaveReportIn) => request<SavedReportT>('POST', '/reports/saved', body);
export const removeSavedReport = (id: string) => request<null>('DELETE', `/reports/saved/${id}`);
