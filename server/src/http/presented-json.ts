import type { FastifyRouteSchemaDef, FastifySerializerCompiler } from 'fastify/types/schema.js';
import { serializerCompiler } from 'fastify-type-provider-zod';

/**
 * The serializer of a route whose success body a presenter builds field by field from typed
 * database columns (the ticket list: `presentTicket` for each of a page's 50 tickets): plain
 * JSON.stringify. The app's default serializer (fastify-type-provider-zod) first checks every
 * field of the body against the zod schema again — for a page of 50 tickets some 2,500 fields,
 * uuid and date-time patterns among them — which measured 3.1 of 4.4 ms per page under load,
 * twice the JSON itself, for a check the presenter's types already make (bench/lists.ts, README
 * *Performance*). The body is the same: the presenter writes exactly the schema's fields.
 * The same holds for one ticket (a read, or the answer to a write): the check was a tenth of a
 * read's server CPU. The schema stays on the route for the OpenAPI document; problem answers
 * (4xx) still go through the checked serializer. Nothing here drops unknown keys, so a route
 * using it must answer only what a presenter builds field by field, never a database row spread
 * into the body (`tickets.http.test.ts` holds ticket answers to the schema, strictly).
 */
export const presentedJson: FastifySerializerCompiler<unknown> = (route) => {
  const checked = serializerCompiler(route as FastifyRouteSchemaDef<never>);
  if (!/^2\d\d$/.test(String(route.httpStatus))) return checked;
  return (data) => JSON.stringify(data);
};
