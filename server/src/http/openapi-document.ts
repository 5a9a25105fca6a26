/**
 * The OpenAPI document as served. zod turns `z.uuid()` and `z.iso.datetime()` into a `format`
 * AND a long regular expression; the format says the same. Patterns that only restate a
 * standard format are left out of the document (a quarter of its size; validation still uses the
 * zod schemas, which keep them).
 */
const FORMATS_THAT_SAY_IT = new Set(['uuid', 'date-time', 'email', 'uri']);

export function withoutFormatPatterns<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutFormatPatterns) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  const record = node as Record<string, unknown>;
  const formatSaysIt = typeof record.format === 'string' && FORMATS_THAT_SAY_IT.has(record.format);
  for (const [key, value] of Object.entries(record)) {
    if (key === 'pattern' && formatSaysIt) continue;
    out[key] = withoutFormatPatterns(value);
  }
  return out as T;
}

type Json = Record<string, unknown>;

/**
 * Every error answer is the same problem+json shape, written out again under each status of
 * each operation (a third of the document). It is served once, as `components.schemas.Problem`,
 * and referred to: the document served is less than half the size.
 */
export function withSharedProblem(document: Json): Json {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  let problem: string | null = null;
  let problemSchema: unknown = null;
  const out: Record<string, Record<string, Json>> = {};
  for (const [path, operations] of Object.entries(paths)) {
    out[path] = {};
    for (const [method, operation] of Object.entries(operations)) {
      const responses = (operation.responses ?? {}) as Record<string, Json>;
      const shared: Record<string, Json> = {};
      for (const [status, response] of Object.entries(responses)) {
        const content = response.content as Record<string, { schema?: unknown }> | undefined;
        const schema = content?.['application/json']?.schema;
        if (Number(status) >= 400 && isProblem(schema)) {
          const text = JSON.stringify(schema);
          problem ??= text;
          problemSchema ??= schema;
          if (text === problem) {
            shared[status] = { ...response, content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } };
            continue;
          }
        }
        shared[status] = response;
      }
      out[path][method] = { ...operation, responses: shared };
    }
  }
  if (problemSchema === null) return document;
  const components = (document.components ?? {}) as Json;
  return {
    ...document,
    paths: out,
    components: { ...components, schemas: { ...((components.schemas as Json | undefined) ?? {}), Problem: problemSchema } },
  };
}

/** RFC 9457's shape as core/contracts/common.ts `Problem` renders: type, title, status, detail. */
function isProblem(schema: unknown): boolean {
  const required = (schema as { required?: unknown } | undefined)?.required;
  return Array.isArray(required) && ['type', 'title', 'status', 'detail'].every((k) => required.includes(k));
}
