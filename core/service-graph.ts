/**
 * Service dependencies form a directed graph: A depends on B. A cycle would make impact
 * propagation loop forever and means the model is wrong, so we refuse it.
 */
export interface Edge {
  serviceId: string;
  dependsOnId: string;
}

/** Returns the cycle created by giving `serviceId` these dependencies, or null. */
export function findDependencyCycle(edges: readonly Edge[], serviceId: string, dependsOnIds: readonly string[]): string[] | null {
  const graph = new Map<string, string[]>();
  for (const e of edges) {
    if (e.serviceId === serviceId) continue; // replaced by the new set
    graph.set(e.serviceId, [...(graph.get(e.serviceId) ?? []), e.dependsOnId]);
  }
  graph.set(serviceId, [...dependsOnIds]);
  // Depth-first search from serviceId looking for a path back to it.
  const path: string[] = [];
  const seen = new Set<string>();
  const visit = (node: string): boolean => {
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (next === serviceId) {
        path.push(next);
        return true;
      }
      if (!seen.has(next)) {
        seen.add(next);
        if (visit(next)) return true;
      }
    }
    path.pop();
    return false;
  };
  return visit(serviceId) ? path : null;
}

/** Every service that depends, directly or through others, on `serviceId`: who feels its outage. */
export function dependentsOf(edges: readonly Edge[], serviceId: string): string[] {
  const result = new Set<string>();
  const queue = [serviceId];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const e of edges) {
      if (e.dependsOnId === current && !result.has(e.serviceId) && e.serviceId !== serviceId) {
        result.add(e.serviceId);
        queue.push(e.serviceId);
      }
    }
  }
  return [...result];
}

/**
 * The services whose outage a person using `serviceId` would feel: the service itself, its
 * components, and everything it depends on (directly or through others), with their components.
 * This is what "is it just me?" checks for known incidents.
 */
export function servicesThatCanBreak(
  edges: readonly Edge[],
  parents: readonly { id: string; parentId: string | null }[],
  serviceId: string,
): string[] {
  const componentsOf = new Map<string, string[]>();
  for (const s of parents) if (s.parentId) componentsOf.set(s.parentId, [...(componentsOf.get(s.parentId) ?? []), s.id]);
  const dependsOn = new Map<string, string[]>();
  for (const e of edges) dependsOn.set(e.serviceId, [...(dependsOn.get(e.serviceId) ?? []), e.dependsOnId]);
  const result = new Set<string>([serviceId]);
  const queue = [serviceId];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const next of [...(componentsOf.get(current) ?? []), ...(dependsOn.get(current) ?? [])]) {
      if (!result.has(next)) {
        result.add(next);
        queue.push(next);
      }
    }
  }
  return [...result];
}

/** A service feeling another's outage, and how far away it is (1: it depends on it directly). */
export interface ImpactedService {
  serviceId: string;
  depth: number;
  /** The service it depends on through which the outage reaches it. */
  viaId: string;
}

/**
 * "What else is affected" (issue 17): every service that depends, directly or transitively, on
 * `serviceId`, nearest first, each once, never the service itself. Breadth-first, so each is
 * reported at its shortest distance; the graph has no cycles (findDependencyCycle refuses them),
 * and the visited set would stop one anyway.
 */
export function serviceImpact(edges: readonly Edge[], serviceId: string): ImpactedService[] {
  const dependents = new Map<string, string[]>();
  for (const e of edges) dependents.set(e.dependsOnId, [...(dependents.get(e.dependsOnId) ?? []), e.serviceId]);
  const seen = new Set<string>([serviceId]);
  const result: ImpactedService[] = [];
  let frontier = [serviceId];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const current of frontier) {
      for (const dependent of [...(dependents.get(current) ?? [])].sort()) {
        if (seen.has(dependent)) continue;
        seen.add(dependent);
        result.push({ serviceId: dependent, depth, viaId: current });
        next.push(dependent);
      }
    }
    frontier = next;
  }
  return result;
}
