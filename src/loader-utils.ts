import DataLoader from 'dataloader';
import type { CacheNamespace } from './cache/namespace.js';
import type { RequestCache } from './cache/request-cache.js';

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
 * A by-id loader: a missing or foreign row is that key's null, and a batch
 * costs one statement (or none, when the cache has them all). Its keys are
 * canonical ids (src/ids.ts parses every id where it enters), the form rows
 * come back with, so they align by plain string equality.
 */
export function createByIdLoader<R extends { id: string }>(
  fetch: (ids: string[]) => Promise<R[]>,
  caching?: ByIdCaching,
): DataLoader<string, R | null> {
  const aligned = async (ids: readonly string[]) => byKeys(ids, await fetch([...ids]), (row) => row.id);
  if (!caching) return createLoader<string, R | null>(aligned);
  return createLoader<string, R | null>((ids) =>
    caching.requestCache.load({ namespace: caching.namespace, key: (id) => id, fences: caching.fences, load: aligned }, ids),
  );
}

/**
 * One value per key, aligned with `keys`: the keys of each group (by `groupOf`,
 * loaded in the order of `groups`) go to `load` together, which answers their
 * values aligned with them. For a batch whose keys need different statements
 * (a direction, a projection), one statement per kind present.
 */
export async function loadInGroups<K, V, G>(
  keys: readonly K[],
  groups: readonly G[],
  groupOf: (key: K) => G,
  load: (keys: readonly K[], group: G) => Promise<readonly V[]>,
): Promise<V[]> {
  const values: V[] = new Array(keys.length);
  for (const group of groups) {
    const positions = keys.flatMap((key, position) => (groupOf(key) === group ? [position] : []));
    if (positions.length === 0) continue;
    const found = await load(positions.map((position) => keys[position]!), group);
    positions.forEach((position, n) => (values[position] = found[n]!));
  }
  return values;
}
