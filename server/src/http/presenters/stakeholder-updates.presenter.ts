import type { z } from 'zod';
import type {
  Audience,
  Composer,
  DueUpdates,
  PublicUpdate,
  SentUpdate,
  UpdateCadence,
  UpdateEdit,
} from '../../../../core/contracts/stakeholder-updates.js';
import type { UpdateEditRow } from '../../repositories/public-update-edits.repository.js';
import type { AudienceRow } from '../../repositories/stakeholder-updates.repository.js';
import type { getComposer, PublicUpdateView, SentUpdateView } from '../../services/stakeholder-updates.service.js';
import type { CadenceView, listUpdatesDue } from '../../services/update-cadence.service.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentAudience(a: AudienceRow): z.input<typeof Audience> {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    userIds: a.userIds,
    teamIds: a.teamIds,
    emails: a.emails,
    serviceIds: a.serviceIds,
    version: a.version,
  };
}

function presentEdit(e: UpdateEditRow): z.input<typeof UpdateEdit> {
  return { at: e.at.toISOString(), actorId: e.actorId, actorName: e.actorName, from: e.from, to: e.to, notified: e.notify };
}

export function presentSentUpdate(u: SentUpdateView): z.input<typeof SentUpdate> {
  return { ...u, at: u.at.toISOString(), editedAt: iso(u.editedAt), history: u.history.map(presentEdit) };
}

export function presentPublicUpdate(u: PublicUpdateView): z.input<typeof PublicUpdate> {
  return { ...u, at: u.at.toISOString(), editedAt: iso(u.editedAt), history: u.history.map(presentEdit) };
}

export function presentCadence(c: CadenceView): z.input<typeof UpdateCadence> {
  return { nextDueAt: iso(c.nextDueAt), lastUpdateAt: iso(c.lastUpdateAt), status: c.status };
}

export function presentComposer(c: Awaited<ReturnType<typeof getComposer>>): z.input<typeof Composer> {
  return {
    templates: c.templates,
    variables: c.variables,
    audiences: c.audiences,
    cadence: presentCadence(c.cadence),
    evaluationPoint: c.evaluationPoint ? { ...c.evaluationPoint, at: c.evaluationPoint.at.toISOString() } : null,
    updates: c.updates.map(presentSentUpdate),
  };
}

export function presentDueUpdates(rows: Awaited<ReturnType<typeof listUpdatesDue>>): z.input<typeof DueUpdates> {
  return {
    items: rows.flatMap((r) =>
      r.nextDueAt
        ? [
            {
              ticketId: r.ticketId,
              number: r.number,
              priority: r.priority,
              nextDueAt: r.nextDueAt.toISOString(),
              lastUpdateAt: iso(r.lastUpdateAt),
              status: r.status,
            },
          ]
        : [],
    ),
  };
}
