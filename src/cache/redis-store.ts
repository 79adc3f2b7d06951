import { Cluster, Redis, type ChainableCommander } from 'ioredis';
import type { CacheEntry, CacheStore } from './store.js';

export interface RedisStoreOptions {
  readonly urls: readonly string[];
  readonly cluster: boolean;
  /** A command that takes longer fails, and the cache is skipped for it. */
  readonly commandTimeoutMs: number;
  readonly onError?: (error: Error) => void;
}

/**
 * Redis or a Redis Cluster. Fail fast is the point: no offline queue (a
 * command while disconnected fails at once instead of waiting for a
 * reconnect), a command timeout, no per-request retries. The circuit breaker
 * above decides when to try again; the connection itself keeps reconnecting.
 */
export class RedisStore implements CacheStore {
  readonly kind: 'redis' | 'redis-cluster';
  private readonly client: Redis | Cluster;

  constructor(options: RedisStoreOptions) {
    const common = { enableOfflineQueue: false, lazyConnect: false } as const;
    const perNode = { commandTimeout: options.commandTimeoutMs, maxRetriesPerRequest: 0, connectTimeout: 2_000 };
    if (options.cluster) {
      this.kind = 'redis-cluster';
      this.client = new Cluster(
        options.urls.map((url) => {
          const { hostname, port } = new URL(url);
          return { host: hostname, port: Number(port || 6379) };
        }),
        { ...common, redisOptions: perNode, clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 2_000) },
      );
    } else {
      this.kind = 'redis';
      this.client = new Redis(options.urls[0]!, { ...common, ...perNode, retryStrategy: (attempt) => Math.min(attempt * 100, 2_000) });
    }
    // Without a listener ioredis logs every reconnect failure as an unhandled error.
    this.client.on('error', (error: Error) => options.onError?.(error));
  }

  mget(keys: readonly string[]): Promise<(Buffer | null)[]> {
    return keys.length === 0 ? Promise.resolve([]) : this.client.mgetBuffer(...keys);
  }

  async write(entries: readonly CacheEntry[], remove: readonly string[] = []): Promise<void> {
    if (entries.length === 0 && remove.length === 0) return;
    const pipeline = this.client.pipeline();
    for (const entry of entries) pipeline.set(entry.key, entry.value, 'PX', Math.max(1, Math.round(entry.ttlMs)));
    if (remove.length > 0) pipeline.del(...remove);
    await execOrThrow(pipeline);
  }

  async setIfAbsent(keys: readonly string[], value: string, ttlMs: number): Promise<boolean[]> {
    if (keys.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.set(key, value, 'PX', ttlMs, 'NX');
    const results = await execOrThrow(pipeline);
    return results.map((result) => result === 'OK');
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}

/** A pipeline answers per-command errors in its results; any of them fails the whole call. */
async function execOrThrow(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  for (const [error] of results) if (error) throw error;
  return results.map(([, value]) => value);
}
