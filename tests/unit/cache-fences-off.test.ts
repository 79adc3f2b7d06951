import { describe, expect, it } from 'vitest';
import { Cache } from '../../src/cache/cache.js';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { fenceKey } from '../../src/cache/namespace.js';
import type { CacheEntry, CacheStore } from '../../src/cache/store.js';
import { tierTable } from '../../src/cache/tiers.js';

/** A store that records the keys written to it, as Redis (shared by instances) or as this process's memory. */
function recordingStore(kind: CacheStore['kind']) {
  const memory = new MemoryStore(1 << 20);
  const written: string[] = [];
  const store: CacheStore = {
    kind,
    mget: (keys) => memory.mget(keys),
    write: (entries: readonly CacheEntry[], remove) => (written.push(...entries.map((entry) => entry.key)), memory.write(entries, remove)),
    takeLeases: (leaseKeys, entryKeys, ttlMs) => memory.takeLeases(leaseKeys, entryKeys, ttlMs),
    ping: () => memory.ping(),
    close: () => memory.close(),
  };
  return { store, written };
}

describe('a write with the cache off moves the fences only where someone may read them', () => {
  it.each([
    ['off, in this process\'s memory, nobody can: nothing is written', 'memory', 'off', false],
    ['off, on a shared Redis, an instance with the cache on may: the fences move', 'redis', 'off', true],
    ['on, in memory too, this process reads them: the fences move', 'memory', 'on', true],
  ] as const)('%s', async (_case, kind, mode, moved) => {
    const { store, written } = recordingStore(kind);
    const cache = new Cache(store, { mode, tiers: tierTable({}) });

    await cache.bumpFences('viewer-1', ['task:x']);

    expect(written).toEqual(moved ? [fenceKey('viewer-1', 'task:x')] : []);
    await cache.close();
  });
});
