import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { Cache, MAX_PENDING_FENCES_PER_SCOPE } from '../../src/cache/cache.js';
import { SCOPE_FENCE, fenceKey } from '../../src/cache/namespace.js';
import { RequestCache, type CachedLoad } from '../../src/cache/request-cache.js';
import type { CacheStore } from '../../src/cache/store.js';
import { tierTable } from '../../src/cache/tiers.js';
import { taskCache } from '../../src/tasks/task.cache.js';
import { ControlledStore } from './controlled-store.js';
import { eventually } from './redis-server.js';

/** Two instances' stores over the same data: a MemoryStore twice, or two connections to one redis-server. */
export interface SharedStores {
  readonly first: CacheStore;
  readonly second: CacheStore;
}

interface Row {
  readonly status: string;
}

/**
 * The fences a write could not send, replayed later, exercised through the
 * real read path (RequestCache over Cache) on two instances: `a` on a store
 * the test steers, `b` on the same data, trusting it. A "database" map stands
 * for PostgreSQL; every read must answer what it holds after the last write.
 */
export function fenceReplayTests(openStores: () => Promise<SharedStores>): void {
  const opened: Cache[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((cache) => cache.close()));
  });

  async function setUp(cooldownMs: number) {
    const { first, second } = await openStores();
    const steered = new ControlledStore(first);
    // A long cooldown: no timer replays behind the test's back; it replays when it says so.
    const a = new Cache(steered, { mode: 'on', tiers: tierTable({}), cooldownMs });
    const b = new Cache(second, { mode: 'on', tiers: tierTable({}), cooldownMs });
    opened.push(a, b);
    const database = new Map<string, Row>();
    let loads = 0;
    const spec: CachedLoad<string, Row | null> = {
      namespace: taskCache,
      key: (id) => id,
      fences: (id) => [`task:${id}`],
      load: async (ids) => ids.map((id) => (loads += 1, database.get(id) ?? null)),
    };
    const read = async (cache: Cache, user: string, id: string) => (await new RequestCache(cache, user).load(spec, [id]))[0]?.status;
    return { steered, a, b, database, read, loads: () => loads };
  }

  it('keeps the fence of a write whose invalidation failed while the replay waited for Redis, and every read after it is fresh', async () => {
    const { steered, a, b, database, read, loads } = await setUp(60_000);
    const user = randomUUID();
    const other = randomUUID();
    database.set('x', { status: 'v0' }).set('y', { status: 'other v0' });
    expect([await read(b, user, 'x'), await read(a, user, 'x'), await read(a, other, 'y')]).toEqual(['v0', 'v0', 'other v0']);

    // Write 1 commits while Redis is away: its fence is kept, and this instance stops trusting the user's entries.
    steered.down = true;
    database.set('x', { status: 'v1' });
    await a.bumpFences(user, ['task:x']);
    steered.down = false;
    expect(a.pendingFencesOf(user)).toEqual(['task:x']);
    expect(await read(a, user, 'x')).toBe('v1');
    // Only that user's: another user's entry is still a hit.
    const loadsBefore = loads();
    expect(await read(a, other, 'y')).toBe('other v0');
    expect(loads()).toBe(loadsBefore);

    // The replay's write lands in Redis, its answer is still on the way ...
    const held = steered.holdNextWrite();
    const replay = a.replayPendingFences();
    await held.applied;
    // ... one replay at a time: a second call joins it ...
    expect(a.replayPendingFences()).toBe(replay);
    // ... another instance reads under the replayed token and caches v1 ...
    expect(await read(b, user, 'x')).toBe('v1');
    // ... and write 2 commits, its fence failing (a timeout) while the replay waits.
    database.set('x', { status: 'v2' });
    steered.failNextWrite();
    await a.bumpFences(user, ['task:x']);
    held.release();
    await replay;

    // Write 2's fence was not part of that replay: this instance still does not trust the user's entries ...
    expect(await read(a, user, 'x')).toBe('v2');
    expect(a.pendingFencesOf(user)).toEqual(['task:x']);
    // ... until the next replay has sent it, for every instance.
    expect(await a.replayPendingFences()).toBe(true);
    expect(await read(b, user, 'x')).toBe('v2');
    expect(await read(a, user, 'x')).toBe('v2');
    expect(a.pendingFencesOf(user)).toEqual([]);
    const fenceKeyOfX = fenceKey(user, 'task:x');
    expect(steered.fenceWrites.filter((keys) => keys.includes(fenceKeyOfX))).toHaveLength(2);
  });

  it('does not serve an entry from before the outage to a read that began while the fences waited and saw the replay end mid-read', async () => {
    const { steered, a, database, read } = await setUp(60_000);
    const user = randomUUID();
    database.set('x', { status: 'v0' });
    expect(await read(a, user, 'x')).toBe('v0');

    // A write commits while Redis is away: its fence is kept for a replay.
    steered.down = true;
    database.set('x', { status: 'v1' });
    await a.bumpFences(user, ['task:x']);
    steered.down = false;
    expect(a.pendingFencesOf(user)).toEqual(['task:x']);

    // The next read starts while the fence waits (its fences read as never moved), and the replay ends
    // between that read's lookup and its lease, which then finds v0's entry still in Redis.
    const takeLeases = steered.takeLeases.bind(steered);
    steered.takeLeases = async (...args) => {
      await a.replayPendingFences();
      return takeLeases(...args);
    };
    expect(await read(a, user, 'x')).toBe('v1');
    // Once replayed, the user's entries are trusted again, and v0's is retired by the replayed token.
    expect(await a.replayPendingFences()).toBe(true);
    expect(await read(a, user, 'x')).toBe('v1');
  });

  it('past the bound keeps one fence that retires all of the user\'s entries, and the reads after the outage are fresh', async () => {
    const { steered, a, b, database, read } = await setUp(50);
    const user = randomUUID();
    database.set('x', { status: 'v0' });
    expect(await read(b, user, 'x')).toBe('v0');

    steered.down = true;
    database.set('x', { status: 'v1' });
    await a.bumpFences(user, ['task:x']);
    for (let i = 0; i < MAX_PENDING_FENCES_PER_SCOPE; i += 1) await a.bumpFences(user, [`task:other-${i}`]);
    expect(a.pendingFencesOf(user)).toEqual([SCOPE_FENCE]);
    // Redis back: the circuit's probe closes it, and the replay follows by itself.
    steered.down = false;
    await eventually('the pending fences to be replayed', async () => a.pendingFencesOf(user).length === 0);

    expect(steered.fenceWrites).toEqual([[fenceKey(user, SCOPE_FENCE)]]);
    expect(await read(b, user, 'x')).toBe('v1');
    expect(await read(a, user, 'x')).toBe('v1');
  });
}
