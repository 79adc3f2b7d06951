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
  // The key scheme's shape (keyPrefix): lower-case words and dashes, a positive version.
  if (!/^[a-z-]+$/.test(spec.name) || !Number.isInteger(spec.version) || spec.version < 1) {
    throw new Error(`cache namespace ${spec.name} v${spec.version} does not fit {name}:v{version}`);
  }
  const namespace = Object.freeze({ staleWhileRevalidate: false, ...spec });
  declared.set(spec.name, namespace);
  return namespace;
}

/** Every declared namespace, for the documentation table and the metrics labels. */
export function declaredNamespaces(): readonly CacheNamespace[] {
  return [...declared.values()];
}

/**
 * The one place keys are formatted: every key the API writes to Redis starts
 * with `{name}:v{version}:`, so one prefix rule, one ACL and one dashboard
 * cover them all. Bumping a version retires every key under it.
 */
export function keyPrefix(name: string, version: number): string {
  return `${name}:v${version}`;
}

/**
 * An entry: `{namespace}:v{version}:{scope}:{key}`. The scope (a user id) sits
 * in a Redis hash tag, `{…}`, so that all of one user's keys share a cluster
 * slot: one MGET or pipeline reaches them all, never CROSSSLOT.
 */
export function entryKey(namespace: CacheNamespace, scope: string, key: string): string {
  return `${keyPrefix(namespace.name, namespace.version)}:{${scope}}:${key}`;
}

/** A key shared by every user (persisted queries): `{namespace}:v{version}:{key}`, no scope. */
export function sharedKey(namespace: CacheNamespace, key: string): string {
  return `${keyPrefix(namespace.name, namespace.version)}:${key}`;
}

const FENCE_PREFIX = keyPrefix('fence', 1);
const LEASE_PREFIX = keyPrefix('lease', 1);

/** A fence: a token that changes whenever the data it guards is written (moved by Cache.bumpFences in cache.ts, checked by request-cache.ts). */
export function fenceKey(scope: string, fence: string): string {
  return `${FENCE_PREFIX}:{${scope}}:${fence}`;
}

/**
 * The fence every cached read of a scope also checks: moving it retires all of
 * that user's entries and responses at once (what a write does when its own
 * fences are too many to keep while Redis is away; see cache.ts).
 */
export const SCOPE_FENCE = 'all';

/** A short lease that lets one request of the whole fleet load a missing entry; in the entry's slot (its hash tag comes first). */
export function leaseKey(entry: string, generation: string): string {
  return `${LEASE_PREFIX}:${entry}:${generation}`;
}

/** Whether a key is the cache's own bookkeeping (a fence or a lease) rather than cached data. */
export function isBookkeepingKey(key: string): boolean {
  return key.startsWith(`${FENCE_PREFIX}:`) || key.startsWith(`${LEASE_PREFIX}:`);
}
