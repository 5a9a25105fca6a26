export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

function comparable(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

/** The fields whose value differs between two versions of a record, for the timeline. */
export function diffFields<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
  fields: readonly (keyof T & string)[],
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    if (!(field in after)) continue;
    const from = comparable(before[field]);
    const to = comparable(after[field]);
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}
