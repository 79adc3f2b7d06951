import type { Cluster, Redis } from 'ioredis';
import { connectRedis } from '../cache/redis-connection.js';
import type { CacheConfig } from '../config.js';

/**
 * A Redis connection of the rate limiter's own, with the cache store's
 * fail-fast settings and credentials (src/cache/redis-connection.ts), so an
 * absent Redis costs a request nothing and the limiter's in-memory budget
 * answers instead.
 */
export function connectRateLimitRedis(config: CacheConfig, onError?: (error: Error) => void): Redis | Cluster {
  return connectRedis({ urls: config.redisUrls, cluster: config.cluster, commandTimeoutMs: config.commandTimeoutMs, onError, autoPipelining: true });
}
