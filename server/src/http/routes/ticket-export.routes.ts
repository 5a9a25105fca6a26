import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { ExportTicketsQuery } from '../../../../core/contracts/export.js';
import { exportTickets } from '../../services/ticket-export.service.js';
import { actorOf } from '../plugins/authentication.js';
import { TICKET_CSV_HEADER, ticketCsvLine, ticketJsonLine } from '../presenters/ticket-export.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/** Export (issue 16): every ticket of a queue, streamed page by page. Staff only. */
export function ticketExportRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/tickets/export',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Export every ticket a queue lists: JSON lines with timelines, or CSV',
        description:
          'Takes the ticket list’s filters and sort (kind, state, priority, teamId, assigneeId, q, openedFrom …) and streams every matching ticket, not one page. format=jsonl (default): one ticket per line as the API shows it, with its timeline (work notes included for staff). format=csv: one row per ticket with the queue’s columns; cells a spreadsheet would run as a formula start with an apostrophe. Agents, managers and admins; requesters are refused.',
        querystring: ExportTicketsQuery,
        produces: ['application/x-ndjson', 'text/csv'],
        response: problems(400, 401, 403),
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const csv = format === 'csv';
      const pages = await exportTickets(deps.db, actorOf(request), query, { timelines: !csv });
      const stamp = deps.clock.now().toISOString().slice(0, 10);
      const lines = async function* () {
        if (csv) yield TICKET_CSV_HEADER;
        for await (const page of pages) yield page.map(csv ? ticketCsvLine : ticketJsonLine).join('');
      };
      reply
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="tickets-${stamp}.${csv ? 'csv' : 'jsonl'}"`)
        .type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      return sendStream(reply, Readable.from(lines(), { objectMode: false }));
    },
  );
}

/** A stream is sent as it is (no serializer); the route's schema documents only its problems. */
function sendStream(reply: FastifyReply, stream: Readable): FastifyReply {
  return reply.send(stream);
}
