import DataLoader from 'dataloader';
import type { CacheNamespace } from './cache/namespace.js';
import type { RequestCache } from './cache/request-cache.js';
import { badInput } from './errors.js';

/**
 * Aligns rows to the keys DataLoader asked for: the row whose key matches, or
 * null. One pass over the rows, whatever the batch size.
 */
export function byKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | null)[] {
  const index = new Map<K, R>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key) ?? null);
}

/** Like byKeys for one-to-many relations: every key gets its rows, in the order they came. */
export function groupByKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function assertUuid(value: string, argument = 'id'): string {
  if (!isUuid(value)) throw badInput(`${argument} must be a UUID`, { argument });
  return value;
}

/**
 * Every loader of the API: a DataLoader whose batch waits for setImmediate
 * rather than the end of the current tick. Field resolvers reach their
 * loaders after awaiting argument validation, some a few microtasks later
 * than others; a tick-end batch would then split one list's loads into two
 * statements, and the statement count of an operation would depend on timing.
 */
export function createLoader<K, V, C = K>(batch: DataLoader.BatchLoadFn<K, V>, options: DataLoader.Options<K, V, C> = {}): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(batch, { batchScheduleFn: (callback) => setImmediate(callback), ...options });
}

/**
 * The cache key of a loader key that is an object (a page query, a cursor):
 * the same arguments give the same key, in DataLoader and in the cache alike.
 */
export const jsonKey = (key: unknown): string => JSON.stringify(key);

/** Caches a by-id loader's rows in `namespace`, each under the fences `fences(id)` names. */
export interface ByIdCaching {
  readonly requestCache: RequestCache;
  readonly namespace: CacheNamespace;
  readonly fences: (id: string) => readonly string[];
}

/**
 * A by-id loader. Each key is answered on its own: an id that is not a UUID is
 * that key's BAD_USER_INPUT error, a missing or foreign row that key's null,
 * and the valid ids of the batch still cost one statement (or none, when the
 * cache has them all).
 */
export function createByIdLoader<R extends { id: string }>(
  fetch: (ids: string[]) => Promise<R[]>,
  caching?: ByIdCaching,
): DataLoader<string, R | null> {
  const aligned = async (ids: readonly string[]) => byKeys(ids, await fetch([...ids]), (row) => row.id);
  const load = caching
    ? (ids: readonly string[]) =>
        caching.requestCache.load({ namespace: caching.namespace, key: (id) => id, fences: caching.fences, load: aligned }, ids)
    : aligned;
  return createLoader<string, R | null>(async (ids) => {
    const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    const found = new Map<string, R | null>();
    if (valid.length > 0) (await load(valid)).forEach((row, i) => found.set(valid[i]!, row));
    return ids.map((id) => (isUuid(id) ? (found.get(id.toLowerCase()) ?? null) : badInput('id must be a UUID', { id })));
  });
}
