import { deserialize } from 'node:v8';

/**
 * The few commands the cache needs, batch-shaped so that a loader batch costs
 * one round trip. Redis implements them over the network, MemoryStore in
 * process; everything above (fences, leases, responses) is shared code.
 *
 * A batch call passes keys of one scope only (one hash tag), so that on a
 * Redis Cluster it reaches one slot.
 */
export interface CacheEntry {
  readonly key: string;
  readonly value: Buffer | string;
  readonly ttlMs: number;
}

export interface LeasesTaken {
  readonly won: readonly boolean[];
  readonly entries: readonly (Buffer | null)[];
}

export interface ExpectedValue {
  readonly key: string;
  readonly value: string | null;
}

export interface CacheStore {
  readonly kind: 'redis' | 'redis-cluster' | 'memory';
  mget(keys: readonly string[]): Promise<(Buffer | null)[]>;
  /** Sets every entry (each with its TTL) and deletes `remove`, in one round trip. */
  write(entries: readonly CacheEntry[], remove?: readonly string[]): Promise<void>;
  /**
   * SET NX PX for each lease key, then GET of each entry key, in one round
   * trip: answers which leases were won and the entries as they stood just
   * after. An entry stored between a reader's miss and its lease (by the
   * holder of the lease before it) is seen, so the reader does not load it again.
   */
  takeLeases(leaseKeys: readonly string[], entryKeys: readonly string[], ttlMs: number): Promise<LeasesTaken>;
  /**
   * Sets every entry, atomically, only if each `expected` key still holds its
   * value (null: absent); answers whether it did. Optional: without it, a write
   * retires what it changed and stores nothing (src/writes/).
   */
  writeIfUnchanged?(expected: readonly ExpectedValue[], entries: readonly CacheEntry[]): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A value this code serialized (node:v8) and stored; null for anything else
 * found under the key, corrupt or another writer's: that is a miss, never an error.
 */
export function readStored(raw: Buffer): unknown {
  try {
    const value: unknown = deserialize(raw);
    return value !== null && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}
