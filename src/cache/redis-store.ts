import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import { connectRedis, type RedisConnectionOptions } from './redis-connection.js';
import type { CacheEntry, CacheStore, ExpectedValue, LeasesTaken } from './store.js';

/**
 * KEYS: the expected keys, then the keys to set. ARGV: how many are expected,
 * their values ('' for absent), then a value and a TTL in ms per key to set.
 * A script, so that no write lands between the check and the sets; its keys
 * share the scope's hash tag, so a cluster runs it on one slot.
 */
const WRITE_IF_UNCHANGED = `
local expected = tonumber(ARGV[1])
for i = 1, expected do
  if (redis.call('GET', KEYS[i]) or '') ~= ARGV[i + 1] then return 0 end
end
local arg = expected + 2
for i = expected + 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[arg], 'PX', ARGV[arg + 1])
  arg = arg + 2
end
return 1`;

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
    // Concurrent requests' lookups leave in one write: a round trip wakes Redis once, not once per command.
    this.client = connectRedis({ ...options, autoPipelining: true });
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

  async takeLeases(leaseKeys: readonly string[], entryKeys: readonly string[], ttlMs: number): Promise<LeasesTaken> {
    if (leaseKeys.length === 0) return { won: [], entries: [] };
    const pipeline = this.client.pipeline();
    for (const key of leaseKeys) pipeline.set(key, '1', 'PX', ttlMs, 'NX');
    pipeline.mgetBuffer(...entryKeys);
    const results = await execOrThrow(pipeline);
    return {
      won: results.slice(0, leaseKeys.length).map((result) => result === 'OK'),
      entries: results[leaseKeys.length] as (Buffer | null)[],
    };
  }

  async writeIfUnchanged(expected: readonly ExpectedValue[], entries: readonly CacheEntry[]): Promise<boolean> {
    const keys = [...expected.map((e) => e.key), ...entries.map((e) => e.key)];
    const args = [
      String(expected.length),
      ...expected.map((e) => e.value ?? ''),
      ...entries.flatMap((e) => [e.value, String(Math.max(1, Math.round(e.ttlMs)))]),
    ];
    return (await this.client.eval(WRITE_IF_UNCHANGED, keys.length, ...keys, ...args)) === 1;
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
