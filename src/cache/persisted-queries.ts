import type { ApolloServerPlugin } from '@apollo/server';
import { stripIgnoredCharacters } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { PersistedQueriesConfig } from '../config.js';
import type { Context } from '../context.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';
import type { Cache } from './cache.js';
import { cacheNamespace, sharedKey } from './namespace.js';

/**
 * Registered documents, shared by every instance: a day, refreshed while they
 * are used, so that what nobody uses any more leaves on its own.
 */
export const persistedQueryCache = cacheNamespace({ name: 'pq', version: 2, tier: 'day' });

/** Apollo's prefix of the keys it asks its store for (its APQ_CACHE_PREFIX); registration writes the same keys. */
const APOLLO_KEY_PREFIX = 'apq:';
/** Per-entry bookkeeping the byte bound does not see (key, LRU links), roughly. */
const ENTRY_OVERHEAD_BYTES = 100;
/** A document in use is written again (its TTL restarted) at most once per this share of its TTL, per instance. */
const REFRESH_EVERY_TTL_SHARE = 24;
const RECENTLY_REFRESHED_MAX = 10_000;

export type Registration = 'stored' | 'anonymous' | 'too-large' | 'over-quota';

/**
 * Automatic persisted queries (sha256 -> document). Apollo reads them through
 * `apolloStore()`; it registers nothing itself: `plugin()` turns its
 * registration off and registers here instead, where the viewer is known.
 *
 * What a document costs to keep is bounded three ways: only signed-in viewers
 * register (an anonymous client's hash and document run, and are not stored);
 * the document is stored stripped of comments and whitespace
 * (graphql's stripIgnoredCharacters, the same operations) and only when that
 * is at most `maxDocumentBytes`; and each viewer registers at most
 * PERSISTED_QUERY_KIB_PER_HOUR KiB per hour. Without Redis the
 * documents live in an LRU of their own, so they never push out cached
 * entries or fences; with Redis, in the `pq:v2:` keyspace with the day tier's
 * TTL, restarted while the document is used.
 */
export class PersistedQueries {
  private readonly ttlMs: number;
  private readonly store: DocumentStore;
  private readonly recentlyRefreshed: LRUCache<string, true>;

  constructor(
    private readonly cache: Cache,
    private readonly config: PersistedQueriesConfig,
    private readonly limiter: RateLimiter,
  ) {
    this.ttlMs = cache.ttlSeconds(persistedQueryCache) * 1000;
    this.store = cache.store.kind === 'memory' ? memoryDocumentStore(config.memoryMaxBytes) : cacheDocumentStore(cache);
    this.recentlyRefreshed = new LRUCache({ max: RECENTLY_REFRESHED_MAX, ttl: Math.ceil(this.ttlMs / REFRESH_EVERY_TTL_SHARE) });
  }

  /** Apollo's `persistedQueries.cache`: lookups only (Apollo prefixes the hash with `apq:`). */
  apolloStore() {
    return {
      get: (key: string) => this.lookup(key),
      set: async (_key: string, _document: string) => {},
      delete: async (_key: string) => {},
    };
  }

  async register(viewerId: string | undefined, hash: string, document: string): Promise<Registration> {
    if (viewerId === undefined) return 'anonymous';
    const stripped = stripIgnoredCharacters(document);
    const bytes = Buffer.byteLength(stripped);
    if (bytes > this.config.maxDocumentBytes) return 'too-large';
    const allowance = await this.limiter.consume({ kind: 'registrations', id: viewerId }, Math.max(1, Math.ceil(bytes / 1024)));
    if (!allowance.allowed) return 'over-quota';
    const key = `${APOLLO_KEY_PREFIX}${hash}`;
    await this.store.set(sharedKey(persistedQueryCache, key), stripped, this.ttlMs);
    this.recentlyRefreshed.set(key, true);
    return 'stored';
  }

  /** Registration moved from Apollo's pipeline (which registers for anyone) to `register`. */
  plugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => {
        let registering = false;
        return {
          // Apollo registers after these hooks, and only when its flag is still set.
          didResolveOperation: async ({ metrics }) => {
            registering = metrics.persistedQueryRegister === true;
            metrics.persistedQueryRegister = false;
          },
          // After every didResolveOperation hook passed (the cost limit among them), as Apollo would.
          executionDidStart: async ({ contextValue, queryHash, source }) => {
            if (!registering || queryHash === undefined || source === undefined) return;
            const outcome = await this.register(contextValue.signedInViewerId, queryHash, source);
            if (outcome !== 'stored') contextValue.log.debug({ outcome }, 'persisted query not registered');
          },
        };
      },
    };
  }

  private async lookup(key: string): Promise<string | undefined> {
    const storeKey = sharedKey(persistedQueryCache, key);
    const document = await this.store.get(storeKey);
    this.cache.observer?.lookup(persistedQueryCache.name, 'persisted-query', document === undefined ? 'miss' : 'hit', 1);
    if (document !== undefined && !this.recentlyRefreshed.has(key)) {
      // Sliding expiry: a document in use is kept another TTL from now.
      this.recentlyRefreshed.set(key, true);
      void this.store.set(storeKey, document, this.ttlMs);
    }
    return document;
  }
}

interface DocumentStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, document: string, ttlMs: number): Promise<void>;
}

/** Redis, through the cache (its circuit breaker; a failure is a miss or a registration lost). */
function cacheDocumentStore(cache: Cache): DocumentStore {
  return {
    async get(key) {
      const [value] = await cache.mget([key]);
      return value?.toString('utf8');
    },
    set: (key, document, ttlMs) => cache.write([{ key, value: document, ttlMs }]),
  };
}

/** In process: an LRU of its own, bounded in bytes. */
function memoryDocumentStore(maxBytes: number): DocumentStore {
  const documents = new LRUCache<string, string>({
    maxSize: maxBytes,
    sizeCalculation: (document, key) => document.length + key.length + ENTRY_OVERHEAD_BYTES,
  });
  return {
    async get(key) {
      return documents.get(key);
    },
    async set(key, document, ttlMs) {
      documents.set(key, document, { ttl: ttlMs });
    },
  };
}
