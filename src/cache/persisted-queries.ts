import type { Cache } from './cache.js';
import { cacheNamespace } from './namespace.js';

/** Registered documents are shared by every instance and survive restarts; they change only on deploys. */
export const persistedQueryCache = cacheNamespace({ name: 'pq', version: 1, tier: 'month' });

/** Documents larger than this are executed but not registered: nobody fills Redis with junk. */
export const MAX_PERSISTED_DOCUMENT_BYTES = 32 * 1024;

/**
 * Apollo's automatic persisted queries (sha256 -> document) kept in the cache
 * store (Redis when configured). Apollo checks that the hash matches the
 * document before it calls `set`. Independent of CACHE_MODE.
 */
export function createPersistedQueryStore(cache: Cache) {
  const ttlMs = cache.ttlSeconds(persistedQueryCache) * 1000;
  const keyOf = (key: string) => `${persistedQueryCache.name}:v${persistedQueryCache.version}:${key}`;
  return {
    async get(key: string): Promise<string | undefined> {
      const [value] = await cache.mget([keyOf(key)]);
      cache.observer?.lookup(persistedQueryCache.name, 'persisted-query', value ? 'hit' : 'miss', 1);
      return value?.toString('utf8');
    },
    async set(key: string, value: string): Promise<void> {
      if (Buffer.byteLength(value) > MAX_PERSISTED_DOCUMENT_BYTES) return;
      await cache.write([{ key: keyOf(key), value, ttlMs }]);
    },
    async delete(key: string): Promise<void> {
      await cache.write([], [keyOf(key)]);
    },
  };
}
