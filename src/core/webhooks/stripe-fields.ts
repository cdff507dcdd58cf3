// Tolerant readers for Stripe objects: fields may be ids or expanded objects, and
// differ between API versions, so every read says what it expects.
export type StripeObject = Record<string, unknown>;

export const isObject = (value: unknown): value is StripeObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

export const int = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;

export const bool = (value: unknown): number => (value === true ? 1 : 0);

/** An id field that may hold the id or the expanded object. */
export const idOf = (value: unknown): string | null => (isObject(value) ? str(value.id) : str(value));

export const obj = (value: unknown): StripeObject | null => (isObject(value) ? value : null);

/** Follows a path of keys through nested objects. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isObject(current) && typeof key === 'string') current = current[key];
    else return undefined;
  }
  return current;
}

export const listData = (value: unknown): StripeObject[] => {
  const data = isObject(value) ? value.data : value;
  return Array.isArray(data) ? data.filter(isObject) : [];
};

/** Stripe metadata as string → string, whatever arrived. */
export function metadataOf(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) out[key] = String(v);
  return out;
}
