import type { FieldChange } from '../../../core/field-changes.js';
import { AFFECTED_FOR_IMPACT, IMPACT_WORDS, impactFromAffected } from '../../../core/incident-links.js';
import type { Actor } from '../../../core/permissions.js';
import { derivePriority } from '../../../core/priority.js';
import type { Level } from '../../../core/vocabulary.js';
import type { Tx } from '../db/client.js';
import { countAffectedPeople, impactChosenByPerson } from '../repositories/incident-links.repository.js';
import { type NewTicketRow, setAffectedCount, type TicketRow } from '../repositories/tickets.repository.js';
import { getPriorityMatrix } from './priority-matrix.service.js';
import { chooseSlaPolicy } from './sla.service.js';
import { applyTicketChange, type ChangeEvent } from './ticket-change.js';

/**
 * The part of a change that keeps an incident's affected count, and raises its impact by the
 * affected-people rule (core/incident-links.ts) with a timeline entry saying why. The caller adds
 * the patch and events to its own change through the pipeline.
 */
export async function affectedCountChange(tx: Tx, ticket: TicketRow): Promise<{ patch: Partial<NewTicketRow>; events: ChangeEvent[] }> {
  const affected = await countAffectedPeople(tx, ticket.id);
  const patch: Partial<NewTicketRow> = {};
  const events: ChangeEvent[] = [];
  if (affected === ticket.affectedCount) return { patch, events };
  patch.affectedCount = affected;
  const current = ticket.impact as Level;
  // Cheap test first: the timeline is read only when the rule would raise the impact.
  const raised = impactFromAffected(affected, current, false);
  if (raised === null || ticket.kind !== 'incident' || (await impactChosenByPerson(tx, ticket.id))) return { patch, events };
  patch.impact = raised;
  const changes: FieldChange[] = [{ field: 'impact', from: current, to: raised }];
  if (!ticket.priorityOverridden) {
    const priority = derivePriority(await getPriorityMatrix(tx), raised, ticket.urgency as Level);
    if (priority !== ticket.priority) {
      patch.priority = priority;
      changes.push({ field: 'priority', from: ticket.priority, to: priority });
      const policy = await chooseSlaPolicy(tx, {
        priority,
        kind: ticket.kind,
        serviceId: ticket.serviceId,
        requesterId: ticket.requesterId,
      });
      if ((policy?.id ?? null) !== ticket.slaPolicyId) {
        patch.slaPolicyId = policy?.id ?? null;
        changes.push({ field: 'slaPolicyId', from: ticket.slaPolicyId, to: policy?.id ?? null });
      }
    }
  }
  const threshold = AFFECTED_FOR_IMPACT.find((r) => r.impact === raised)?.atLeast;
  events.push({
    type: 'field_changed',
    internal: true,
    changes,
    body: `Impact raised to ${IMPACT_WORDS[raised]}: ${affected} people are affected (the rule raises impact to ${IMPACT_WORDS[raised]} from ${threshold} affected people).`,
    data: { rule: 'affected_people', affected },
  });
  return { patch, events };
}

/**
 * A change to an incident's affected people that is not an edit of the incident (a *Me too*, a
 * merged duplicate's requester): the count is written beside the version, so a desk member's open
 * form does not go stale because someone joined. Only when the rule raises the impact (a field a
 * person edits, with priority and SLA after it) does the version move, and then an edit made from
 * the old impact rightly gets 412. The events go on the timeline through the pipeline either way.
 */
export async function recordAffectedPeopleChange(
  tx: Tx,
  ticket: TicketRow,
  actor: Actor | null,
  at: Date,
  events: ChangeEvent[],
): Promise<TicketRow> {
  const affected = await affectedCountChange(tx, ticket);
  const { affectedCount, ...fields } = affected.patch;
  let before = ticket;
  if (affectedCount !== undefined) {
    await setAffectedCount(tx, ticket.id, affectedCount);
    before = { ...ticket, affectedCount };
  }
  const edits = Object.keys(fields).length > 0;
  const { ticket: saved } = await applyTicketChange(tx, {
    before,
    patch: fields,
    actor,
    at,
    events: [...events, ...affected.events],
    ...(edits ? {} : { bumpsVersion: false }),
  });
  return saved;
}
