import type { CacheTier } from './tiers.js';

/**
 * A family of cache entries, declared once next to the data it protects:
 *
 *   export const taskCache = cacheNamespace({ name: 'tasks', version: 1, tier: 'short' });
 *
 * Its tier is both the entries' TTL and the cache hint of any response that
 * reads them. Bumping `version` retires every key of the namespace at once.
 */
export interface CacheNamespace {
  readonly name: string;
  readonly version: number;
  readonly tier: CacheTier;
  /**
   * Serve an entry past its TTL (for as long again) while one request reloads
   * it. Safe only where age is the sole reason to refresh: every write through
   * this API retires what it changes at once, stale or not.
   */
  readonly staleWhileRevalidate: boolean;
}

const declared = new Map<string, CacheNamespace>();

export function cacheNamespace(spec: {
  name: string;
  version: number;
  tier: CacheTier;
  staleWhileRevalidate?: boolean;
}): CacheNamespace {
  if (declared.has(spec.name)) throw new Error(`cache namespace ${spec.name} is declared twice`);
  const namespace = Object.freeze({ staleWhileRevalidate: false, ...spec });
  declared.set(spec.name, namespace);
  return namespace;
}

/** Every declared namespace, for the documentation table and the metrics labels. */
export function declaredNamespaces(): readonly CacheNamespace[] {
  return [...declared.values()];
}

/**
 * The one place keys are formatted: `{namespace}:{version}:{key}`. The scope
 * (a user id) sits in a Redis hash tag, `{…}`, so that all of one user's keys
 * share a cluster slot: one MGET or pipeline reaches them all, never CROSSSLOT.
 */
export function entryKey(namespace: CacheNamespace, scope: string, key: string): string {
  return `${namespace.name}:v${namespace.version}:{${scope}}:${key}`;
}

/** A fence: a token that changes whenever the data it guards is written (see fences.ts). */
export function fenceKey(scope: string, fence: string): string {
  return `fence:v1:{${scope}}:${fence}`;
}

/** A short lease that lets one request of the whole fleet load a missing entry. */
export function leaseKey(entry: string, generation: string): string {
  return `lease:${entry}:${generation}`;
}
