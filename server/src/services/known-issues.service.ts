import { servicesThatCanBreak } from '../../../core/service-graph.js';
import type { Db } from '../db/client.js';
import { listDependencyEdges, listServices } from '../repositories/catalog.repository.js';
import { latestPublicComments, listOpenGlobalIncidents } from '../repositories/known-issues.repository.js';

const MAX_KNOWN_ISSUES = 20;

/**
 * "Is it just me?" — the open incidents of global scope that anyone may see: on the chosen
 * service, its components and what it depends on, or all of them when no service is given.
 * Visible to every signed-in person: a global incident is, by definition, news for many.
 * Only what the desk published is shown: title, state and the latest public update.
 */
export async function listKnownIssues(db: Db, serviceId?: string) {
  let serviceIds: string[] | null = null;
  if (serviceId) {
    const [edges, all] = await Promise.all([listDependencyEdges(db), listServices(db)]);
    serviceIds = servicesThatCanBreak(edges, all, serviceId);
  }
  const issues = await listOpenGlobalIncidents(db, serviceIds, MAX_KNOWN_ISSUES);
  const updates = await latestPublicComments(
    db,
    issues.map((i) => i.id),
  );
  return issues.map((issue) => ({ ...issue, latestUpdate: updates.get(issue.id) ?? null }));
}
