import { REPORT_SCHEDULE_LABELS } from '../../../../core/kpis/saved-report.js';
import type { SavedReportWithOwner } from '../../repositories/saved-reports.repository.js';

export function presentSavedReport({ report, ownerName }: SavedReportWithOwner) {
  return {
    id: report.id,
    name: report.name,
    kpis: report.kpis,
    filters: report.filters,
    schedule: report.schedule ?? null,
    scheduleLabel: report.schedule ? REPORT_SCHEDULE_LABELS[report.schedule] : null,
    recipients: report.recipients,
    nextSendAt: report.nextSendAt?.toISOString() ?? null,
    owner: { id: report.ownerId, name: ownerName },
    createdAt: report.createdAt.toISOString(),
    updatedAt: report.updatedAt.toISOString(),
  };
}
