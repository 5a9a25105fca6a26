import { IdParams, IfMatchHeaders } from '../../../../core/contracts/common.js';
import {
  DeclaredStormProposal,
  DismissStormProposal,
  StormPolicy,
  StormPolicyBody,
  StormPolicyList,
  StormProposal,
  StormProposalPage,
  StormProposalQuery,
  StormSettingsBody,
} from '../../../../core/contracts/storms.js';
import {
  declareStormProposal,
  dismissStormProposal,
  getStormProposal,
  getStormSettings,
  listStormPolicies,
  listStormProposals,
  putStormSettings,
  setStormPolicy,
} from '../../services/storm-proposals.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentStormProposal } from '../presenters/storms.presenter.js';
import { type Api, etag, expectedVersion, problems, type RouteDeps } from '../route-types.js';

/** Storm detection (issue 14): proposals to declare a major incident, their decisions, and the settings. */
export function stormRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/storm-proposals',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary: 'Storm proposals, newest first (`status=open` for the ones waiting for the desk)',
        querystring: StormProposalQuery,
        response: { 200: StormProposalPage, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await listStormProposals(deps, request.query);
      return { items: page.items.map(presentStormProposal), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/storm-proposals/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary: 'One storm proposal',
        params: IdParams,
        response: { 200: StormProposal, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const proposal = await getStormProposal(deps, request.params.id);
      return reply.header('etag', etag(proposal.version)).send(presentStormProposal(proposal));
    },
  );

  app.post(
    '/api/v1/storm-proposals/:id/dismiss',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary: 'Dismiss a proposal with a reason: its cluster is not proposed again from the same reports',
        description: 'If-Match (the version you read) is refused with 412 when the proposal changed; a decided proposal answers 409.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: DismissStormProposal,
        response: { 200: StormProposal, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request) =>
      presentStormProposal(
        await dismissStormProposal(deps, actorOf(request), request.params.id, request.body, expectedVersion(request.headers['if-match'])),
      ),
  );

  app.post(
    '/api/v1/storm-proposals/:id/declare',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary: 'Declare a major incident from a proposal',
        description: 'If-Match (the version you read) is refused with 412 when the proposal changed; a decided proposal answers 409.',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: DeclaredStormProposal, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request) => {
      const { proposal, incidentId } = await declareStormProposal(
        deps,
        actorOf(request),
        request.params.id,
        expectedVersion(request.headers['if-match']),
      );
      return { proposal: presentStormProposal(proposal), incidentId };
    },
  );

  app.get(
    '/api/v1/settings/storm-detection',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['major incidents'],
        summary: 'Storm detection: the sliding window, the threshold of reports + alerts in it, and the similarity of words',
        response: { 200: StormSettingsBody, ...problems(401, 403) },
      },
    },
    async () => getStormSettings(deps),
  );

  app.put(
    '/api/v1/settings/storm-detection',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['major incidents'],
        summary: 'Change storm detection',
        body: StormSettingsBody,
        response: { 200: StormSettingsBody, ...problems(400, 401, 403) },
      },
    },
    async (request) => putStormSettings(deps, request.body),
  );

  app.put(
    '/api/v1/services/:id/storm-policy',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['major incidents'],
        summary: 'Whether a storm on this service declares a major incident by itself (instead of asking the desk)',
        params: IdParams,
        body: StormPolicyBody,
        response: { 200: StormPolicy, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => setStormPolicy(deps, request.params.id, request.body.declareByPolicy),
  );

  app.get(
    '/api/v1/settings/storm-policies',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['major incidents'],
        summary: 'Every service, and whether a storm on it declares a major incident by itself',
        response: { 200: StormPolicyList, ...problems(401, 403) },
      },
    },
    async () => listStormPolicies(deps),
  );
}
