import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  AutomationDryRunBody,
  AutomationDryRunResult,
  AutomationRule,
  AutomationRuleOrder,
  SaveAutomationRule,
} from '../../../../core/contracts/automation.js';
import { IdParams, IfMatchHeaders, Items, NoContent } from '../../../../core/contracts/common.js';
import {
  type AutomationRuleView,
  createRule,
  dryRunRule,
  getRule,
  listRules,
  removeRule,
  reorderRules,
  updateRule,
} from '../../services/automation-rules.service.js';
import { actorOf } from '../plugins/authentication.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

function present({ rule, updatedByName }: AutomationRuleView): z.input<typeof AutomationRule> {
  return {
    id: rule.id,
    name: rule.name,
    position: rule.position,
    enabled: rule.enabled,
    stopAfterMatch: rule.stopAfterMatch,
    trigger: { ...rule.trigger },
    conditions: rule.conditions.map((c) => ({ ...c })),
    actions: rule.actions.map((a) => ({ ...a })),
    disabledReason: rule.disabledReason,
    version: rule.version,
    updatedAt: rule.updatedAt.toISOString(),
    updatedBy: rule.updatedById && updatedByName ? { id: rule.updatedById, name: updatedByName } : null,
  };
}

const sent = (reply: FastifyReply, view: AutomationRuleView) => {
  reply.header('etag', etag(view.rule.version));
  return present(view);
};

/** Automation rules (issue 18 item 1): admins only, every route. */
export function automationRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/automation/rules',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['automation'],
        summary: 'The automation rules, in the order they run',
        response: { 200: Items(AutomationRule), ...problems(401, 403) },
      },
    },
    async (request) => ({ items: (await listRules(deps, actorOf(request))).map(present) }),
  );

  app.post(
    '/api/v1/automation/rules',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['automation'],
        summary: 'Write a rule (it runs last; off until enabled)',
        description:
          'Refused with 400 naming the field: a pattern that could backtrack without end, or a team, service, category, person, shared canned reply, business calendar, escalation policy or webhook that does not exist, a problem that is not open (or a person who is not active). A rule telling more than 25 people (notified or made followers) is answered 422 on confirmLargeAudience with `audience`, the count: send it again with confirmLargeAudience: true.',
        body: SaveAutomationRule,
        response: { 201: AutomationRule, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => sent(reply.status(201), await createRule(deps, actorOf(request), request.body)),
  );

  app.post(
    '/api/v1/automation/rules/dry-run',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['automation'],
        summary: 'Which of the newest tickets a rule would match, and what it would change; writes nothing',
        description:
          'Give ruleId (a saved rule) or rule (a draft); last: how many of the newest tickets (default 100); from/to: opened in that period.',
        body: AutomationDryRunBody,
        response: { 200: AutomationDryRunResult, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => dryRunRule(deps, actorOf(request), request.body),
  );

  app.post(
    '/api/v1/automation/rules/order',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['automation'],
        summary: 'Set the order rules run in (every rule, each once)',
        body: AutomationRuleOrder,
        response: { 200: Items(AutomationRule), ...problems(400, 401, 403) },
      },
    },
    async (request) => ({ items: (await reorderRules(deps, actorOf(request), request.body.ids)).map(present) }),
  );

  app.get(
    '/api/v1/automation/rules/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['automation'],
        summary: 'One rule',
        params: IdParams,
        response: { 200: AutomationRule, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => sent(reply, await getRule(deps, actorOf(request), request.params.id)),
  );

  app.put(
    '/api/v1/automation/rules/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['automation'],
        summary: 'Change a rule, enable or disable it (If-Match: a rule saved since you read it is refused with 412)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: SaveAutomationRule,
        response: { 200: AutomationRule, ...problems(400, 401, 403, 404, 412, 422) },
      },
    },
    async (request, reply) =>
      sent(reply, await updateRule(deps, actorOf(request), request.params.id, request.body, expectedVersion(request.headers['if-match']))),
  );

  app.delete(
    '/api/v1/automation/rules/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['automation'],
        summary: 'Remove a rule',
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeRule(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
