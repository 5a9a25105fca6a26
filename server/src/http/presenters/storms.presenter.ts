import type { z } from 'zod';
import type { StormProposal } from '../../../../core/contracts/storms.js';
import { proposalHeadline } from '../../../../core/storm.js';
import type { StormProposalView } from '../../services/storm-proposals.service.js';

export function presentStormProposal(p: StormProposalView): z.input<typeof StormProposal> {
  return {
    id: p.id,
    status: p.status,
    headline: proposalHeadline({
      reports: p.reportCount,
      alerts: p.alertCount,
      serviceName: p.serviceName,
      widerScope: p.widerScope,
      sampleTitle: p.sampleTitle,
      spanMs: p.lastAt.getTime() - p.firstAt.getTime(),
    }),
    service: p.serviceId ? { id: p.serviceId, name: p.serviceName ?? '' } : null,
    reportCount: p.reportCount,
    alertCount: p.alertCount,
    widerScope: p.widerScope,
    sampleTitle: p.sampleTitle,
    ticketIds: p.ticketIds,
    firstAt: p.firstAt.toISOString(),
    lastAt: p.lastAt.toISOString(),
    crossedAt: p.crossedAt.toISOString(),
    raisedAt: p.raisedAt.toISOString(),
    decidedAt: p.decidedAt?.toISOString() ?? null,
    decidedBy: p.decidedById ? { id: p.decidedById, name: p.decidedByName ?? '' } : null,
    dismissReason: p.dismissReason,
    incident: p.incidentId ? { id: p.incidentId, number: p.incidentNumber ?? '' } : null,
    version: p.version,
  };
}
