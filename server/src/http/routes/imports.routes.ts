import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  GenericImportUploadQuery,
  ImportReport,
  ImportRun,
  ImportRunList,
  ImportRunParams,
  ImportUploadQuery,
} from '../../../../core/contracts/imports.js';
import {
  checkImport,
  DEFAULT_IMPORT_MAX_BYTES,
  getImportRun,
  listRecentImportRuns,
  parseMapping,
  receiveUpload,
  startImport,
  tooLarge,
} from '../../services/import-upload.service.js';
import { actorOf } from '../plugins/authentication.js';
import { type Api, problems, type RouteDeps } from '../route-types.js';

/**
 * Admin › Import (issue 16): the body is the CSV file itself, streamed to a temporary file as it
 * arrives (an encapsulated parser hands the handler the raw stream, after access was checked);
 * a dry run answers the report, a real run answers 202 with a run to poll for its progress (kept in the
 * database: any server process answers it).
 */
export async function importRoutes(app: Api, deps: RouteDeps & { maxBytes?: number }): Promise<void> {
  const maxBytes = deps.maxBytes ?? DEFAULT_IMPORT_MAX_BYTES;
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (request, payload, done) => {
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) done(tooLarge(maxBytes), undefined);
      else done(null, payload);
    });
    scope.post(
      '/api/v1/imports/servicenow',
      {
        config: { access: 'admin' },
        bodyLimit: maxBytes,
        schema: {
          tags: ['imports'],
          summary: 'Import a ServiceNow incident export (the body is the CSV file): dry run or for real',
          description: `The body is the CSV as exported from ServiceNow (the incident table, one row per incident, or the event log, one row per update), UTF-8 or Latin-1, separated by commas, semicolons, tabs or pipes. dryRun=true (default) reads and checks every row and answers what the import would do, with each refused row (row, column, reason); nothing is written. dryRun=false starts the import and answers 202 with a run to poll (GET /api/v1/imports/{id}) for its progress and report; while another import runs, 409 names who runs it and since when. Larger than the limit (${Math.round(maxBytes / 1024 / 1024)} MiB by default), 413; a file that is not such an export, 422. Admins only.`,
          querystring: ImportUploadQuery,
          response: { 200: ImportReport, 202: ImportRun, ...problems(400, 401, 403, 409, 413, 422) },
        },
      },
      async (request, reply) => {
        const upload = await receiveUpload(request.body as NodeJS.ReadableStream, maxBytes);
        const { dryRun, ...options } = request.query;
        if (dryRun === 'true') return reply.status(200).send(await checkImport(deps, actorOf(request), upload, options));
        const logFailure = (err: unknown) => app.log.error({ err }, 'an import through Admin › Import stopped');
        return reply.status(202).send(await startImport(deps, actorOf(request), upload, options, logFailure));
      },
    );
    scope.post(
      '/api/v1/imports/generic',
      {
        config: { access: 'admin' },
        bodyLimit: maxBytes,
        schema: {
          tags: ['imports'],
          summary: 'Import any CSV or JSON lines file through a column mapping: dry run or for real',
          description: `The body is the file: CSV (UTF-8 or Latin-1, separated by commas, semicolons, tabs or pipes) or JSON lines (one object per line), told apart by its first character. \`mapping\` is the column mapping as JSON: {"columns": {field: column, …}, "states": {value: state}, "priorities": {value: 1–5}, "channels": {value: channel}, "resolutionCodes": {value: code}, "dateFormat": "D/M/YYYY HH:mm", "timeZone": "Europe/Paris"}; number, state and openedAt must be mapped; every column no field reads is kept as the ticket's source attributes. A mistake in the mapping is 400 naming it, before the file is read. Otherwise as POST /api/v1/imports/servicenow: dryRun=true answers the report, dryRun=false answers 202 with a run to poll. Admins only.`,
          querystring: GenericImportUploadQuery,
          response: { 200: ImportReport, 202: ImportRun, ...problems(400, 401, 403, 409, 413, 422) },
        },
      },
      async (request, reply) => {
        const { dryRun, mapping: mappingText, ...rest } = request.query;
        const options = { ...rest, mapping: parseMapping(mappingText) };
        const upload = await receiveUpload(request.body as NodeJS.ReadableStream, maxBytes);
        if (dryRun === 'true') return reply.status(200).send(await checkImport(deps, actorOf(request), upload, options));
        const logFailure = (err: unknown) => app.log.error({ err }, 'an import through Admin › Import stopped');
        return reply.status(202).send(await startImport(deps, actorOf(request), upload, options, logFailure));
      },
    );
  });
  app.get(
    '/api/v1/imports/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['imports'],
        summary: 'An import started through Admin › Import: its progress, then its report',
        params: ImportRunParams,
        response: { 200: ImportRun, ...problems(401, 403, 404) },
      },
    },
    async (request) => getImportRun(deps, request.params.id),
  );
  app.get(
    '/api/v1/imports',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['imports'],
        summary: 'The latest imports started through Admin › Import, newest first (running, done, failed or interrupted)',
        description:
          'At most ten. An import whose server process stopped mid-way shows as interrupted: importing the same file again finishes it without doubling anything. Admins only.',
        response: { 200: ImportRunList, ...problems(401, 403) },
      },
    },
    async () => ({ runs: await listRecentImportRuns(deps) }),
  );
}
