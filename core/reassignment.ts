/**
 * The reassignment count for KPIs, with ServiceNow's `reassignment_count` semantics as its real
 * event log documents the field: "number of times the incident has the group or the support
 * analysts changed". A change of owner counts once, however many of the two fields it moved:
 * another team (the assignee usually goes with it) is one reassignment, not two. A first
 * assignment — a team or a person where there was none — is not a reassignment, so a ticket
 * routed to a team at report time and picked up by one of its members counts zero.
 */
export interface Ownership {
  teamId: string | null;
  assigneeId: string | null;
}

/** Whether going from `before` to `after` moves the ticket away from an owner it had. */
export function isReassignment(before: Ownership, after: Ownership): boolean {
  const teamMoved = before.teamId !== null && after.teamId !== before.teamId;
  // Back to the queue (A → nobody) counts: the analyst changed; the next pick-up is then a
  // first assignment again, so A → nobody → B counts once, like A → B.
  const assigneeMoved = before.assigneeId !== null && after.assigneeId !== before.assigneeId;
  return teamMoved || assigneeMoved;
}

/**
 * The owner a ticket has after a patch: a field the patch leaves out (undefined) keeps its value;
 * one it sets to null is cleared.
 */
export function ownerAfter(before: Ownership, patch: { teamId?: string | null; assigneeId?: string | null }): Ownership {
  return {
    teamId: patch.teamId !== undefined ? patch.teamId : before.teamId,
    assigneeId: patch.assigneeId !== undefined ? patch.assigneeId : before.assigneeId,
  };
}
