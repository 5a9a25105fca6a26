import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams } from '../../../../core/contracts/common.js';
import { Attachment, UploadHeaders } from '../../../../core/contracts/email.js';
import { fieldError } from '../../../../core/errors.js';
import { uploadAttachment } from '../../services/ticket-files.service.js';
import { actorOf } from '../plugins/authentication.js';
import { presentAttachment } from '../presenters/attachments.presenter.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Attaching a file: the body is the file itself, typed by Content-Type, named by X-Filename.
 * Only this route accepts bodies other than JSON (an encapsulated parser); the custom header
 * means a browser on another site cannot send it without a CORS preflight we never grant.
 */
export async function uploadRoutes(app: Api, deps: RouteDeps & { maxBytes: number }): Promise<void> {
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxBytes }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/v1/tickets/:id/attachments',
      {
        config: { access: 'signed_in' },
        bodyLimit: deps.maxBytes,
        schema: {
          tags: ['tickets'],
          summary: 'Attach a file to a ticket you may see (the body is the file)',
          description:
            'Send the file as the body with its Content-Type and `X-Filename: <URL-encoded name>`. Only accepted types are kept (images, PDF, text and logs, Office documents without macros, OpenDocument, archives, e-mails, network captures — see the README), and the bytes must be the type the name says; anything else is refused with 415 naming the file and why. Larger than the limit, 413. The file is stored and served with its type’s own Content-Type. The upload is announced on the timeline.',
          params: IdParams,
          headers: UploadHeaders,
          response: { 201: Attachment, ...problems(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      async (request, reply) => {
        let filename: string;
        try {
          filename = decodeURIComponent(request.headers['x-filename'] as string);
        } catch {
          throw fieldError('validation_failed', 'X-Filename', 'must be URL-encoded (encodeURIComponent)');
        }
        const content = request.body as Buffer | undefined;
        if (!Buffer.isBuffer(content)) throw fieldError('validation_failed', 'file', 'send the file as the request body');
        const contentType = String(request.headers['content-type'] ?? 'application/octet-stream').split(';')[0];
        const saved = await uploadAttachment(
          deps,
          actorOf(request),
          request.params.id,
          { filename, contentType, content },
          { maxBytes: deps.maxBytes },
        );
        return reply.status(201).send(presentAttachment(saved));
      },
    );
  });
}
