import { Cluster, Redis } from 'ioredis';
import type { CacheConfig } from '../config.js';

/**
 * A Redis connection of the rate limiter's own, with the cache store's
 * fail-fast settings (src/cache/redis-store.ts): no offline queue, a command
 * timeout, no per-request retries, so an absent Redis costs a request nothing
 * and the limiter's in-memory insurance answers instead.
 */
export function connectRateLimitRedis(config: CacheConfig, onError?: (error: Error) => void): Redis | Cluster {
  const common = { enableOfflineQueue: false, lazyConnect: false } as const;
  const perNode = { commandTimeout: config.commandTimeoutMs, maxRetriesPerRequest: 0, connectTimeout: 2_000 };
  const retry = (attempt: number) => Math.min(attempt * 100, 2_000);
  const client = config.cluster
    ? new Cluster(
        config.redisUrls.map((url) => {
          const { hostname, port } = new URL(url);
          return { host: hostname, port: Number(port || 6379) };
        }),
        { ...common, redisOptions: perNode, clusterRetryStrategy: retry },
      )
    : new Redis(config.redisUrls[0]!, { ...common, ...perNode, retryStrategy: retry });
  // Without a listener ioredis reports every failed reconnect as an unhandled error.
  client.on('error', (error: Error) => onError?.(error));
  return client;
}
