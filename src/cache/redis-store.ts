import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import { connectRedis, type RedisConnectionOptions } from './redis-connection.js';
import type { CacheEntry, CacheStore } from './store.js';

/**
 * Redis or a Redis Cluster, over a fail-fast connection (redis-connection.ts):
 * a command while disconnected or past the timeout fails, and the circuit
 * breaker above decides when to try again.
 */
export class RedisStore implements CacheStore {
  readonly kind: 'redis' | 'redis-cluster';
  private readonly client: Redis | Cluster;

  constructor(options: RedisConnectionOptions) {
    this.kind = options.cluster ? 'redis-cluster' : 'redis';
    this.client = connectRedis(options);
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
