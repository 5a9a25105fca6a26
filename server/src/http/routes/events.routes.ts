import { AppError } from '../../../../core/errors.js';
import { forBrowser } from '../../../../core/live-events.js';
import type { EventHub, HubMessage } from '../../live/event-hub.js';
import { currentRoleOf } from '../../services/auth.service.js';
import { actorOf, SESSION_COOKIE } from '../plugins/authentication.js';
import type { Api, RouteDeps } from '../route-types.js';

const HEARTBEAT_MS = 20_000;
/**
 * Live streams one person may hold open on one server process. One more is refused with 429
 * rather than closing the oldest: a browser reconnects a closed stream by itself, so closing
 * would make the person's tabs take turns knocking each other out.
 */
export const MAX_STREAMS_PER_PERSON = 10;
/** How often an open stream checks that its session is still valid (signed out, deactivated). */
const RECHECK_MS = 60_000;

/**
 * The live stream (server-sent events): `ticket` events name a ticket that changed, `resync`
 * says "re-read everything" (this server missed announcements), `signed_out` ends the stream.
 * Browsers reconnect on their own; a reconnect should re-read, since it may have missed events.
 */
export function eventRoutes(app: Api, deps: RouteDeps, events: Pick<EventHub, 'streamsOf' | 'subscribe'>): void {
  app.get(
    '/api/v1/events',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['live'],
        summary: 'Live stream of ticket changes you may see (text/event-stream; at most 10 open per person, then 429)',
        description:
          'Server-sent events. `event: ticket` carries `{ticketId, number, eventId, type, teamId, assigneeId}` — re-read the ticket for its content. `event: resync` means re-read everything you show. `event: storm` (staff only) carries `{proposalId}`: a storm proposal appeared or changed. Requesters hear only public changes to their own tickets.',
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (events.streamsOf(actor.id) >= MAX_STREAMS_PER_PERSON) {
        throw new AppError(
          'rate_limited',
          `You already have ${MAX_STREAMS_PER_PERSON} live streams open (one per open Firebreak tab); close one and reload.`,
          { extra: { retryAfterSeconds: 30 } },
        );
      }
      const credentials = { cookie: request.cookies[SESSION_COOKIE], authorization: request.headers.authorization };
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // tell nginx-style proxies not to buffer the stream
        'x-request-id': request.id,
      });
      const write = (text: string) => {
        if (!res.writableEnded) res.write(text);
      };
      write('retry: 2000\n\nevent: ready\ndata: {}\n\n');

      const send = (message: HubMessage) => {
        if (message.kind === 'resync') write('event: resync\ndata: {}\n\n');
        // The browser reconnects after retryMs, and re-reads on its next `ready` (it may miss events meanwhile).
        else if (message.kind === 'closing') write(`retry: ${message.retryMs}\nevent: closing\ndata: {}\n\n`);
        else if (message.kind === 'storm') write(`event: storm\ndata: ${JSON.stringify({ proposalId: message.event.proposalId })}\n\n`);
        else write(`event: ticket\ndata: ${JSON.stringify(forBrowser(message.event))}\n\n`);
      };
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        clearInterval(recheck);
        unsubscribe();
        if (!res.writableEnded) res.end();
      };
      const unsubscribe = events.subscribe(actor, send, end);
      const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
      const recheck = setInterval(() => {
        currentRoleOf(deps, credentials)
          .then((role) => {
            if (role === null) {
              write('event: signed_out\ndata: {}\n\n');
              end();
            } else if (role !== actor.role) {
              // The role changed (a NOTIFY missed while the listener reconnected): reconnect with the current one.
              write('event: resync\ndata: {}\n\n');
              end();
            }
          })
          .catch((err) => request.log.error({ err }, 'live stream: could not re-check the session; keeping the stream open'));
      }, RECHECK_MS);
      request.raw.on('close', end);
    },
  );
}
