/**
 * JSON with object keys sorted, so that the same value written with its keys
 * in another order has the same text (and hash): idempotency keys, cache keys.
 */
export function canonicalJson(value: unknown): string {
  // A value already in order (most options, as clients write them) is written in one call: the same text, a fraction of the cost.
  if (inCanonicalOrder(value)) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether JSON.stringify writes `value` as canonicalJson does: plain objects with sorted keys, nothing JSON would drop. */
function inCanonicalOrder(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(inCanonicalOrder);
  if (typeof value !== 'object' || (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1]! < keys[i]!)) return false;
    if (!inCanonicalOrder((value as Record<string, unknown>)[keys[i]!])) return false;
  }
  return true;
}
