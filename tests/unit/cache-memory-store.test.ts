import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/cache/memory-store.js';

const text = (values: readonly (Buffer | null)[]) => values.map((value) => value?.toString() ?? null);

describe('the in-process cache store', () => {
  it('answers what was written, null for the rest, in the order asked', async () => {
    const store = new MemoryStore(1 << 20);

    await store.write([
      { key: 'a', value: 'first', ttlMs: 60_000 },
      { key: 'b', value: Buffer.from('second'), ttlMs: 60_000 },
    ]);

    expect(text(await store.mget(['b', 'missing', 'a']))).toEqual(['second', null, 'first']);
  });

  it('forgets an entry once its own TTL has passed, not the others', async () => {
    const store = new MemoryStore(1 << 20);

    await store.write([
      { key: 'short', value: 'x', ttlMs: 20 },
      { key: 'long', value: 'y', ttlMs: 60_000 },
    ]);
    const before = text(await store.mget(['short', 'long']));
    await sleep(40);

    expect(before).toEqual(['x', 'y']);
    expect(text(await store.mget(['short', 'long']))).toEqual([null, 'y']);
  });

  it('deletes the keys a write removes, in the same call', async () => {
    const store = new MemoryStore(1 << 20);
    await store.write([{ key: 'lease', value: '1', ttlMs: 60_000 }]);

    await store.write([{ key: 'entry', value: 'loaded', ttlMs: 60_000 }], ['lease']);

    expect(text(await store.mget(['entry', 'lease']))).toEqual(['loaded', null]);
  });

  it('sets a key only when absent (a lease), and again once the lease has expired', async () => {
    const store = new MemoryStore(1 << 20);

    const first = await store.takeLeases(['k1', 'k2'], [], 20);
    const second = await store.takeLeases(['k1', 'k3'], [], 20);
    await sleep(40);
    const third = await store.takeLeases(['k1'], [], 20);

    expect([first.won, second.won, third.won]).toEqual([[true, true], [false, true], [true]]);
  });

  it('answers, with the leases, the entries as they stand once the leases are taken', async () => {
    const store = new MemoryStore(1 << 20);
    await store.write([{ key: 'entry', value: 'stored by the last holder', ttlMs: 60_000 }]);

    const taken = await store.takeLeases(['lease:entry', 'lease:other'], ['entry', 'other'], 1_000);

    expect(taken.won).toEqual([true, true]);
    expect(text(taken.entries)).toEqual(['stored by the last holder', null]);
  });

  it('stays within its bound in bytes by evicting the least recently used entries', async () => {
    // Each entry costs its value, its key and 100 bytes of bookkeeping: 3 of 300 bytes fit in 1,000.
    const store = new MemoryStore(1_000);
    const value = 'v'.repeat(199);
    await store.write(['a', 'b', 'c'].map((key) => ({ key, value, ttlMs: 60_000 })));

    await store.mget(['a']);
    await store.write([{ key: 'd', value, ttlMs: 60_000 }]);

    expect(text(await store.mget(['a', 'b', 'c', 'd'])).map((v) => v !== null)).toEqual([true, false, true, true]);
  });

  it('does not keep an entry larger than its whole bound', async () => {
    const store = new MemoryStore(1_000);

    await store.write([{ key: 'huge', value: 'x'.repeat(2_000), ttlMs: 60_000 }]);

    expect(text(await store.mget(['huge']))).toEqual([null]);
  });
});
