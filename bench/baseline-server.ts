/**
 * The baselines Firebreak is measured against, each one the least a server can do for that
 * request: `bare` answers JSON (and takes a JSON POST at /accept, answering 202 without keeping
 * it; answers /bytes/N with a prebuilt body of N bytes, for pages that are not 17 bytes long; and
 * answers /copies/NAME with the bytes last PUT there, a copy of another server's answer), `insert` runs one raw `pg` INSERT of a ticket-like row, `select` one raw primary-key SELECT. Run as its own process (like Firebreak) so that both pay the same
 * process, event-loop and loopback costs, and the ratios compare only the work per request.
 *
 *   node --import tsx bench/baseline-server.ts <bare|insert|select>   (env PORT, DATABASE_URL)
 * The table it writes and reads is created by seed.ts (createBaselineTable).
 */
import Fastify from 'fastify';
import pg from 'pg';

const mode = process.argv[2];
if (mode !== 'bare' && mode !== 'insert' && mode !== 'select') {
  console.error('usage: baseline-server.ts bare|insert|select');
  process.exit(2);
}

const app = Fastify({ logger: false });
// The same pool size as Firebreak's default (FIREBREAK_DATABASE_POOL_SIZE=20).
const pool = mode === 'bare' ? undefined : new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const ACTOR = '00000000-0000-4000-8000-000000000001';

app.get('/health', async () => ({ status: 'ok' }));

if (mode === 'bare') {
  app.get('/json', async () => ({ hello: 'world' }));
  // A body of N bytes built once and sent as it is: what a server with the page ready in memory
  // does at the least. Writing (and the load generator reading) 21 KB is not free; a 17-byte
  // JSON baseline would charge that cost to the page alone.
  const bodies = new Map<number, Buffer>();
  app.get('/bytes/:size', async (request, reply) => {
    const size = Math.min(Number((request.params as { size: string }).size) || 0, 4 * 1024 * 1024);
    let body = bodies.get(size);
    if (!body) {
      body = Buffer.alloc(size, 'x');
      bodies.set(size, body);
    }
    return reply.type('text/html; charset=utf-8').send(body);
  });
  // A copy of another server's answer — its very bytes, type and coding — sent as it is: the fair
  // baseline for a page, where nothing but the server can differ. (An all-"x" body of the same
  // size once was read twice as fast as the status page's own bytes, because the load generator
  // decoded bodies into strings and the page holds a few non-ASCII characters.)
  const copies = new Map<string, { bytes: Buffer; type: string; coding: string | undefined }>();
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: 4 * 1024 * 1024 }, (_request, body, done) =>
    done(null, body),
  );
  app.put('/copies/:name', async (request, reply) => {
    const type = String(request.headers['x-copy-content-type'] ?? 'application/octet-stream');
    const coding = request.headers['x-copy-content-encoding'] as string | undefined;
    copies.set((request.params as { name: string }).name, { bytes: request.body as Buffer, type, coding });
    return reply.status(204).send();
  });
  app.get('/copies/:name', async (request, reply) => {
    const copy = copies.get((request.params as { name: string }).name);
    if (!copy) return reply.status(404).send();
    if (copy.coding) reply.header('content-encoding', copy.coding);
    return reply.type(copy.type).send(copy.bytes);
  });
  // The least a Node server can do with an alert delivery: parse it, answer 202, keep nothing.
  app.post('/accept', { bodyLimit: 4 * 1024 * 1024 }, async (_request, reply) => reply.status(202).send({ status: 'accepted' }));
}

if (mode === 'insert') {
  app.post('/rows', async (request, reply) => {
    const body = request.body as { title: string; description: string; impact: number; urgency: number; serviceId: string };
    const { rows } = await pool!.query(
      `INSERT INTO bench_rows (title, description, requester_id, reported_by_id, service_id, impact, urgency, priority)
       VALUES ($1, $2, $3, $3, $4, $5, $6, $7) RETURNING *`,
      [body.title, body.description, ACTOR, body.serviceId, body.impact, body.urgency, Math.min(5, body.impact + body.urgency - 1)],
    );
    return reply.status(201).send(rows[0]);
  });
}

if (mode === 'select') {
  app.get('/rows/:id', async (request, reply) => {
    const { rows } = await pool!.query('SELECT * FROM bench_rows WHERE id = $1', [(request.params as { id: string }).id]);
    return rows[0] ?? reply.status(404).send({ status: 404 });
  });
}

await app.listen({ port: Number(process.env.PORT ?? 3100), host: '127.0.0.1' });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => pool?.end())
      .finally(() => process.exit(0));
  });
}
