import type { CacheConfig } from '../config.js';
import { Cache, type CacheObserver } from './cache.js';
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import type { CacheStore } from './store.js';
import { tierTable } from './tiers.js';

/** Redis (or a Redis Cluster) when REDIS_URL is set, the in-process store otherwise. */
export function createCacheStore(config: CacheConfig): CacheStore {
  return config.redisUrls.length > 0
    ? new RedisStore({ urls: config.redisUrls, cluster: config.cluster, commandTimeoutMs: config.commandTimeoutMs })
    : new MemoryStore(config.memoryMaxBytes);
}

/** The cache as configured; `store` lets a tool observe the store (cache:warm counts what it writes). */
export function createCache(config: CacheConfig, observer?: CacheObserver, store: CacheStore = createCacheStore(config)): Cache {
  return new Cache(store, { mode: config.mode, tiers: tierTable(config.tierSeconds), leaseWaitMs: config.leaseWaitMs, observer });
}
