import { fieldError, notFound } from '../../../core/errors.js';
import { type Actor, canPickService } from '../../../core/permissions.js';
import { findDependencyCycle } from '../../../core/service-graph.js';
import type { Db } from '../db/client.js';
import {
  type CategoryRow,
  findCategoryById,
  findServiceById,
  insertCategory,
  insertService,
  listCategories,
  listDependencyEdges,
  listServices,
  replaceDependencies,
  type ServiceRow,
  updateCategory,
  updateService,
} from '../repositories/catalog.repository.js';
import { findTeamById } from '../repositories/teams.repository.js';
import { changingConfig } from './config-cache.js';
import type { ServiceDeps } from './deps.js';
import { rethrowDuplicateName } from './teams.service.js';

export type ServiceWithDependencies = ServiceRow & { dependsOnIds: string[] };

export interface ServiceInput {
  name?: string;
  description?: string;
  parentId?: string | null;
  ownerTeamId?: string | null;
  dependsOnIds?: string[];
  /** Offered to requesters in the portal (default true); only admins reach the routes that set it. */
  visibleToRequesters?: boolean;
  /** Shown on the public status page (default false). */
  onStatusPage?: boolean;
}

export async function createService(deps: ServiceDeps, input: ServiceInput & { name: string }): Promise<ServiceWithDependencies> {
  return changingConfig(deps.configCache, 'services', () =>
    deps.db.transaction(async (tx) => {
      await checkServiceReferences(tx, undefined, input);
      const service = await insertService(tx, {
        name: input.name,
        description: input.description ?? '',
        parentId: input.parentId ?? null,
        ownerTeamId: input.ownerTeamId ?? null,
        visibleToRequesters: input.visibleToRequesters ?? true,
        onStatusPage: input.onStatusPage ?? false,
        createdAt: deps.clock.now(),
      }).catch(rethrowDuplicateName(input.name));
      const dependsOnIds = [...new Set(input.dependsOnIds ?? [])];
      await checkNoCycle(tx, service.id, dependsOnIds);
      await replaceDependencies(tx, service.id, dependsOnIds);
      return { ...service, dependsOnIds };
    }),
  );
}

export async function updateServiceById(deps: ServiceDeps, id: string, input: ServiceInput): Promise<ServiceWithDependencies> {
  return changingConfig(deps.configCache, 'services', () =>
    deps.db.transaction(async (tx) => {
      if (!(await findServiceById(tx, id))) throw notFound('service');
      await checkServiceReferences(tx, id, input);
      const { dependsOnIds, ...fields } = input;
      await updateService(tx, id, fields).catch(rethrowDuplicateName(input.name ?? ''));
      if (dependsOnIds) {
        const unique = [...new Set(dependsOnIds)];
        await checkNoCycle(tx, id, unique);
        await replaceDependencies(tx, id, unique);
      }
      return getService(tx, id);
    }),
  );
}

/** The services this person is offered: every one for staff, the visible ones for requesters. */
export async function listServicesWithDependencies(db: Db, actor: Actor): Promise<ServiceWithDependencies[]> {
  const [services, edges] = await Promise.all([listServices(db), listDependencyEdges(db)]);
  return services
    .filter((s) => canPickService(actor, s))
    .map((s) => ({
      ...s,
      dependsOnIds: edges.filter((e) => e.serviceId === s.id).map((e) => e.dependsOnId),
    }));
}

/** One service; one hidden from requesters is, to a requester, one that does not exist. */
export async function getService(db: Db, id: string, actor?: Actor): Promise<ServiceWithDependencies> {
  const service = await findServiceById(db, id);
  if (!service || (actor && !canPickService(actor, service))) throw notFound('service');
  const edges = await listDependencyEdges(db);
  return { ...service, dependsOnIds: edges.filter((e) => e.serviceId === id).map((e) => e.dependsOnId) };
}

async function checkServiceReferences(db: Db, selfId: string | undefined, input: ServiceInput): Promise<void> {
  if (input.parentId) {
    if (input.parentId === selfId) throw fieldError('unprocessable', 'parentId', 'a service cannot be its own component');
    const parent = await findServiceById(db, input.parentId);
    if (!parent) throw fieldError('unprocessable', 'parentId', `no service has the id ${input.parentId}`);
    if (parent.parentId) {
      throw fieldError('unprocessable', 'parentId', `${parent.name} is itself a component; components belong to a top-level service`);
    }
  }
  if (input.ownerTeamId && !(await findTeamById(db, input.ownerTeamId))) {
    throw fieldError('unprocessable', 'ownerTeamId', `no team has the id ${input.ownerTeamId}`);
  }
  for (const dependsOnId of input.dependsOnIds ?? []) {
    if (!(await findServiceById(db, dependsOnId))) {
      throw fieldError('unprocessable', 'dependsOnIds', `no service has the id ${dependsOnId}`);
    }
  }
}

async function checkNoCycle(db: Db, serviceId: string, dependsOnIds: string[]): Promise<void> {
  const cycle = findDependencyCycle(await listDependencyEdges(db), serviceId, dependsOnIds);
  if (cycle) {
    const names = new Map((await listServices(db)).map((s) => [s.id, s.name]));
    throw fieldError(
      'unprocessable',
      'dependsOnIds',
      `this would make a dependency cycle: ${cycle.map((id) => names.get(id) ?? id).join(' → ')}`,
    );
  }
}

export interface CategoryInput {
  name?: string;
  parentId?: string | null;
  defaultTeamId?: string | null;
}

export async function createCategory(deps: ServiceDeps, input: CategoryInput & { name: string }): Promise<CategoryRow> {
  return deps.db.transaction(async (tx) => {
    await checkCategoryReferences(tx, undefined, input);
    return insertCategory(tx, {
      name: input.name,
      parentId: input.parentId ?? null,
      defaultTeamId: input.defaultTeamId ?? null,
      createdAt: deps.clock.now(),
    }).catch(rethrowDuplicateName(input.name));
  });
}

export async function updateCategoryById(deps: ServiceDeps, id: string, input: CategoryInput): Promise<CategoryRow> {
  return deps.db.transaction(async (tx) => {
    if (!(await findCategoryById(tx, id))) throw notFound('category');
    await checkCategoryReferences(tx, id, input);
    return (await updateCategory(tx, id, input).catch(rethrowDuplicateName(input.name ?? ''))) as CategoryRow;
  });
}

export { listCategories };

export async function getCategory(db: Db, id: string): Promise<CategoryRow> {
  const category = await findCategoryById(db, id);
  if (!category) throw notFound('category');
  return category;
}

async function checkCategoryReferences(db: Db, selfId: string | undefined, input: CategoryInput): Promise<void> {
  if (input.parentId) {
    // Walk up from the new parent: reaching ourselves would make the tree a loop.
    let cursor: string | null = input.parentId;
    for (let depth = 0; cursor; depth++) {
      if (cursor === selfId) throw fieldError('unprocessable', 'parentId', 'a category cannot sit below itself');
      const node: CategoryRow | undefined = await findCategoryById(db, cursor);
      if (!node) throw fieldError('unprocessable', 'parentId', `no category has the id ${input.parentId}`);
      if (depth > 8) throw fieldError('unprocessable', 'parentId', 'categories nest at most 8 levels deep');
      cursor = node.parentId;
    }
  }
  if (input.defaultTeamId && !(await findTeamById(db, input.defaultTeamId))) {
    throw fieldError('unprocessable', 'defaultTeamId', `no team has the id ${input.defaultTeamId}`);
  }
}
