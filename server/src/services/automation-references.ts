import { referencesOf } from '../../../core/automation/plan.js';
import type { AutomationAction, AutomationCondition } from '../../../core/automation/rules.js';
import { isStaff } from '../../../core/permissions.js';
import { OPEN_STATES } from '../../../core/vocabulary.js';
import type { Db } from '../db/client.js';
import { findCannedReply } from '../repositories/canned-replies.repository.js';
import { findCategoryById, findServiceById } from '../repositories/catalog.repository.js';
import { findEscalationPolicyById } from '../repositories/on-call.repository.js';
import { findCalendarById } from '../repositories/sla.repository.js';
import { findTeamById } from '../repositories/teams.repository.js';
import { findTicketById } from '../repositories/tickets.repository.js';
import { findUsersByIds, type UserRow } from '../repositories/users.repository.js';
import { findWebhookById } from '../repositories/webhooks.repository.js';

/**
 * The ids a rule names that no longer stand for what the rule needs: a team, service or category
 * that is gone, a person deactivated (or an assignee who is not staff), a canned reply deleted or
 * not shared, a calendar, escalation policy or webhook gone, a problem no longer open. Checked when a rule is saved (refused, naming the field) and before it runs (the
 * rule is switched off with the reason, instead of failing every ticket change).
 */
export async function brokenReferences(
  db: Db,
  conditions: readonly AutomationCondition[],
  actions: readonly AutomationAction[],
): Promise<{ field: string; message: string }[]> {
  const refs = referencesOf(conditions, actions);
  if (refs.length === 0) return [];
  const people = new Map(
    (await findUsersByIds(db, [...new Set(refs.filter((r) => r.kind === 'agent' || r.kind === 'person').map((r) => r.id))])).map((u) => [
      u.id,
      u,
    ]),
  );
  const broken: { field: string; message: string }[] = [];
  for (const ref of refs) {
    const problem = await problemOf(db, ref.kind, ref.id, people);
    if (problem) broken.push({ field: ref.path, message: problem });
  }
  return broken;
}

async function problemOf(
  db: Db,
  kind: ReturnType<typeof referencesOf>[number]['kind'],
  id: string,
  people: Map<string, UserRow>,
): Promise<string | null> {
  switch (kind) {
    case 'team':
      return (await findTeamById(db, id)) ? null : 'is not a team (any more)';
    case 'service':
      return (await findServiceById(db, id)) ? null : 'is not a service (any more)';
    case 'category':
      return (await findCategoryById(db, id)) ? null : 'is not a category (any more)';
    case 'agent': {
      const person = people.get(id);
      return person?.active && isStaff(person) ? null : 'is not an active agent';
    }
    case 'person':
      return people.get(id)?.active ? null : 'is not an active person';
    case 'shared_canned_reply': {
      const reply = await findCannedReply(db, id);
      return reply && reply.ownerId === null ? null : 'is not a shared canned reply (any more)';
    }
    case 'calendar':
      return (await findCalendarById(db, id)) ? null : 'is not a business calendar (any more)';
    case 'open_problem': {
      const problem = await findTicketById(db, id);
      return problem?.kind === 'problem' && OPEN_STATES.includes(problem.state) ? null : 'is not an open problem (any more)';
    }
    case 'escalation_policy':
      return (await findEscalationPolicyById(db, id)) ? null : 'is not an escalation policy (any more)';
    case 'webhook':
      return (await findWebhookById(db, id))?.active ? null : 'is not an active webhook (any more)';
  }
}
