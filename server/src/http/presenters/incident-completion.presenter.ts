import type { z } from 'zod';
import type { IncidentCompletion } from '../../../../core/contracts/incident-completion.js';
import type { IncidentCompletion as Completion } from '../../services/incident-completion.service.js';

export function presentIncidentCompletion(c: Completion): z.input<typeof IncidentCompletion> {
  return {
    checklist: c.checklist,
    items: c.items.map((i) => ({ key: i.key, label: i.label, check: i.check, done: i.done, hint: i.hint })),
    complete: c.complete,
    preventiveMeasures: c.preventiveMeasures.map((m) => ({ description: m.description, at: m.at.toISOString(), actorId: m.actorId })),
    reviewScheduledFor: c.reviewScheduledFor?.toISOString() ?? null,
    finalUpdateAt: c.finalUpdateAt?.toISOString() ?? null,
  };
}
