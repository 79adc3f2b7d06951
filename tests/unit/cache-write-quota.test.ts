import { describe, expect, it } from 'vitest';
import { Cache } from '../../src/cache/cache.js';
import type { CacheEntry, CacheStore } from '../../src/cache/store.js';
import { tierTable } from '../../src/cache/tiers.js';
import { CacheWriteQuota, WRITE_QUOTA_WINDOW_MS } from '../../src/cache/write-quota.js';

const entry = (key: string, bytes: number) => ({ key, value: Buffer.alloc(bytes - key.length), ttlMs: 1_000 });

describe('CacheWriteQuota', () => {
  it('admits a viewer’s entries until their bytes (keys included) reach the allowance, then none until the window ends', () => {
    let now = 0;
    const quota = new CacheWriteQuota(1_000, () => now);

    expect(quota.admit('alice', [entry('a1', 400), entry('a2', 400), entry('a3', 400)]).map((e) => e.key)).toEqual(['a1', 'a2']);
    // A smaller entry still fits what is left.
    expect(quota.admit('alice', [entry('a4', 300), entry('a5', 100)]).map((e) => e.key)).toEqual(['a5']);
    expect(quota.admit('alice', [entry('a6', 101)])).toEqual([]);

    now += WRITE_QUOTA_WINDOW_MS;
    expect(quota.admit('alice', [entry('a7', 900)]).map((e) => e.key)).toEqual(['a7']);
  });

  it('counts each viewer apart', () => {
    const quota = new CacheWriteQuota(500, () => 0);
    expect(quota.admit('alice', [entry('a', 500)])).toHaveLength(1);
    expect(quota.admit('bob', [entry('b', 500)])).toHaveLength(1);
    expect(quota.admit('alice', [entry('c', 2)])).toHaveLength(0);
  });
});

describe('a viewer’s write quota behind an open circuit', () => {
  it('is not spent on writes the cache drops: after an outage the viewer’s entries are stored again at once', async () => {
    let reachable = false;
    const written: string[] = [];
    const store: CacheStore = {
      kind: 'memory',
      mget: async (keys) => keys.map(() => null),
      write: async (entries) => {
        if (!reachable) throw new Error('Command timed out');
        written.push(...entries.map((e) => e.key));
      },
      takeLeases: async (leaseKeys, entryKeys) => ({ won: leaseKeys.map(() => true), entries: entryKeys.map(() => null) }),
      ping: async () => {
        if (!reachable) throw new Error('Command timed out');
      },
      close: async () => undefined,
    };
    const cache = new Cache(store, { mode: 'on', tiers: tierTable({}), failureThreshold: 1, cooldownMs: 60_000 });
    const quota = new CacheWriteQuota(1_000, () => 0);
    const admit = (all: readonly CacheEntry[]) => quota.admit('alice', all);

    await cache.write([entry('first', 400)], [], admit); // fails, opens the circuit
    expect(cache.circuitState).toBe('open');
    for (let i = 0; i < 10; i += 1) await cache.write([entry(`dropped${i}`, 400)], [], admit);

    reachable = true;
    // The one failed attempt was charged (it was sent); the ten dropped ones were not.
    expect(quota.admit('alice', [entry('left', 600)]).map((e) => e.key)).toEqual(['left']);
    expect(written).toEqual([]);
  });
});
