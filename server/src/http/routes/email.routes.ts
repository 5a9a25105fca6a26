import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { IdParams, Items } from '../../../../core/contracts/common.js';
import { Attachment, Binary, EmailParams, InboundEmail, InboundEmailsQuery } from '../../../../core/contracts/email.js';
import {
  getAttachment,
  getRawEmail,
  getReceivedEmailRaw,
  listAttachments,
  listEmailsOfTicket,
  listReceivedEmails,
} from '../../services/ticket-files.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentAttachment } from '../presenters/attachments.presenter.js';
import { presentInboundEmail } from '../presenters/inbound-emails.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/**
 * Files are always downloads, never pages: Content-Disposition attachment, nosniff, and a
 * sandboxing CSP, so an uploaded HTML or SVG file cannot run in Firebreak's origin.
 */
function sendFile(reply: FastifyReply, content: Buffer | Readable, contentType: string, filename: string, size?: number) {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  // A stream's length is the attachment's recorded size (Fastify measures a Buffer itself).
  if (size !== undefined) reply.header('content-length', size);
  return reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(content);
}

export function emailRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/tickets/:id/attachments',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: "A ticket's attachments (requesters: their own tickets only)",
        params: IdParams,
        response: { 200: Items(Attachment), ...problems(401, 404) },
      },
    },
    async (request) => ({ items: (await listAttachments(deps.db, actorOf(request), request.params.id)).map(presentAttachment) }),
  );

  app.get(
    '/api/v1/attachments/:id',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['tickets'],
        summary: 'Download one attachment (always as a download, never displayed inline)',
        params: IdParams,
        response: { 200: Binary, ...problems(401, 404) },
      },
    },
    async (request, reply) => {
      const file = await getAttachment(deps.db, actorOf(request), request.params.id);
      return sendFile(reply, file.content, file.contentType, file.filename, file.size);
    },
  );

  app.get(
    '/api/v1/tickets/:id/emails',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'The e-mails received about a ticket, oldest first',
        params: IdParams,
        response: { 200: Items(InboundEmail), ...problems(401, 403, 404) },
      },
    },
    async (request) => ({ items: (await listEmailsOfTicket(deps.db, actorOf(request), request.params.id)).map(presentInboundEmail) }),
  );

  app.get(
    '/api/v1/tickets/:id/emails/:emailId/raw',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'Download the original message (.eml) exactly as it was received',
        params: EmailParams,
        response: { 200: Binary, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const email = await getRawEmail(deps.db, actorOf(request), request.params.id, request.params.emailId);
      return sendFile(reply, email.raw, 'message/rfc822', `${email.id}.eml`);
    },
  );

  app.get(
    '/api/v1/inbound-emails',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['system'],
        summary: 'The latest e-mails received, newest first, with what each did (ignored ones with the reason)',
        querystring: InboundEmailsQuery,
        response: { 200: Items(InboundEmail), ...problems(401, 403) },
      },
    },
    async (request) => ({ items: (await listReceivedEmails(deps.db, request.query.limit)).map(presentInboundEmail) }),
  );

  app.get(
    '/api/v1/inbound-emails/:id/raw',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['system'],
        summary: 'Download any received mail (.eml) exactly as it was received, including ignored ones (refused ones: their headers)',
        params: IdParams,
        response: { 200: Binary, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const email = await getReceivedEmailRaw(deps.db, request.params.id);
      return sendFile(reply, email.raw, 'message/rfc822', `${email.id}.eml`);
    },
  );
}
