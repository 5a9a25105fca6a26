import { z } from 'zod';

export const Id = z.uuid({ error: 'must be an id (UUID)' });
export const Timestamp = z.iso.datetime({ offset: true });
export const Ref = z.object({ id: Id, name: z.string() }).nullable();

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .loose();

/** A page of a list: `nextCursor` is null on the last page. */
export function Page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const Limit = z.coerce.number().int().min(1).max(200).default(50);

/** `a,b,c` or repeated parameters, parsed into a list of one enum's values. */
export function csvOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value), z.array(item));
}

/** A whole list in one answer: the lists that are short by nature (teams, schedules, a ticket's alerts). */
export function Items<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

/** The path of a route about one record. */
export const IdParams = z.strictObject({ id: Id });

/** The optional If-Match header of a versioned write (tickets, integrations); the server reads it as a version. */
export const IfMatchHeaders = z.looseObject({ 'if-match': z.string().max(100).optional() });

/** The body of a 204 answer: none. */
export const NoContent = z.null();
