import { LRUCache } from 'lru-cache';
import type { CacheEntry, CacheStore, ExpectedValue, LeasesTaken } from './store.js';

/** Per-entry bookkeeping the byte bound does not see (key, LRU links), roughly. */
const ENTRY_OVERHEAD_BYTES = 100;

/**
 * The in-process stand-in for Redis when REDIS_URL is absent: the same
 * commands over an LRU bounded in bytes, each entry with its own TTL. One
 * process only: with several instances, use Redis.
 */
export class MemoryStore implements CacheStore {
  readonly kind = 'memory';
  private readonly entries: LRUCache<string, Buffer | string>;

  constructor(maxBytes: number) {
    this.entries = new LRUCache<string, Buffer | string>({
      maxSize: maxBytes,
      sizeCalculation: (value, key) => value.length + key.length + ENTRY_OVERHEAD_BYTES,
    });
  }

  async mget(keys: readonly string[]): Promise<(Buffer | null)[]> {
    return keys.map((key) => {
      const value = this.entries.get(key);
      return value === undefined ? null : Buffer.isBuffer(value) ? value : Buffer.from(value);
    });
  }

  async write(entries: readonly CacheEntry[], remove: readonly string[] = []): Promise<void> {
    for (const entry of entries) this.entries.set(entry.key, entry.value, { ttl: entry.ttlMs });
    for (const key of remove) this.entries.delete(key);
  }

  async takeLeases(leaseKeys: readonly string[], entryKeys: readonly string[], ttlMs: number): Promise<LeasesTaken> {
    const won = leaseKeys.map((key) => {
      if (this.entries.has(key)) return false;
      this.entries.set(key, '1', { ttl: ttlMs });
      return true;
    });
    return { won, entries: await this.mget(entryKeys) };
  }

  // One process, no await between the check and the sets: atomic as it stands.
  async writeIfUnchanged(expected: readonly ExpectedValue[], entries: readonly CacheEntry[]): Promise<boolean> {
    const holds = expected.every(({ key, value }) => (this.entries.get(key)?.toString() ?? null) === value);
    if (holds) for (const entry of entries) this.entries.set(entry.key, entry.value, { ttl: entry.ttlMs });
    return holds;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }
}
