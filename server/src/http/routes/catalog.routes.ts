import { IdParams, Items } from '../../../../core/contracts/common.js';
import { Category, CreateCategory, CreateService, Service, UpdateCategory, UpdateService } from '../../../../core/contracts/directory.js';
import { PriorityMatrixBody } from '../../../../core/contracts/tickets.js';
import {
  createCategory,
  createService,
  getCategory,
  getService,
  listCategories,
  listServicesWithDependencies,
  updateCategoryById,
  updateServiceById,
} from '../../services/catalog.service.js';
import { getPriorityMatrix, setPriorityMatrix } from '../../services/priority-matrix.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentCategory, presentService } from '../presenters/catalog.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/** Services, categories and the priority matrix: what every requester picks from, and admins shape. */
export function catalogRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/services',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['catalog'],
        summary: 'List services and their components and dependencies (requesters: only those visible to requesters)',
        response: { 200: Items(Service), ...problems(401) },
      },
    },
    async (request) => ({ items: (await listServicesWithDependencies(deps.db, actorOf(request))).map(presentService) }),
  );

  app.post(
    '/api/v1/services',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['catalog'],
        summary: 'Add a service, or a component of one (parentId)',
        body: CreateService,
        response: { 201: Service, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentService(await createService(deps, request.body))),
  );

  app.get(
    '/api/v1/services/:id',
    {
      config: { access: 'signed_in' },
      schema: { tags: ['catalog'], summary: 'One service', params: IdParams, response: { 200: Service, ...problems(401, 404) } },
    },
    async (request) => presentService(await getService(deps.db, request.params.id, actorOf(request))),
  );

  app.patch(
    '/api/v1/services/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['catalog'],
        summary: 'Change a service (dependsOnIds replaces its dependencies; cycles are refused)',
        params: IdParams,
        body: UpdateService,
        response: { 200: Service, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => presentService(await updateServiceById(deps, request.params.id, request.body)),
  );

  app.get(
    '/api/v1/categories',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['catalog'],
        summary: 'The category tree, as a flat list with parentId',
        response: { 200: Items(Category), ...problems(401) },
      },
    },
    async () => ({ items: (await listCategories(deps.db)).map(presentCategory) }),
  );

  app.post(
    '/api/v1/categories',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['catalog'],
        summary: 'Add a category or subcategory with the team new tickets go to',
        body: CreateCategory,
        response: { 201: Category, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentCategory(await createCategory(deps, request.body))),
  );

  app.get(
    '/api/v1/categories/:id',
    {
      config: { access: 'signed_in' },
      schema: { tags: ['catalog'], summary: 'One category', params: IdParams, response: { 200: Category, ...problems(401, 404) } },
    },
    async (request) => presentCategory(await getCategory(deps.db, request.params.id)),
  );

  app.patch(
    '/api/v1/categories/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['catalog'],
        summary: 'Change a category',
        params: IdParams,
        body: UpdateCategory,
        response: { 200: Category, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => presentCategory(await updateCategoryById(deps, request.params.id, request.body)),
  );

  app.get(
    '/api/v1/priority-matrix',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['catalog'],
        summary: 'The priority matrix: matrix[impact-1][urgency-1] is the priority',
        response: { 200: PriorityMatrixBody, ...problems(401) },
      },
    },
    async () => ({ matrix: await getPriorityMatrix(deps.db) }),
  );

  app.put(
    '/api/v1/priority-matrix',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['catalog'],
        summary: 'Replace the priority matrix (applies to new and re-prioritised tickets)',
        body: PriorityMatrixBody,
        response: { 200: PriorityMatrixBody, ...problems(400, 401, 403, 422) },
      },
    },
    async (request) => ({ matrix: await setPriorityMatrix(deps, actorOf(request), request.body.matrix) }),
  );
}
