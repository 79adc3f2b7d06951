import { describe, expect, it } from 'vitest';
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
