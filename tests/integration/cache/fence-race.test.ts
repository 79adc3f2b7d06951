// @requires redis-server
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cache } from '../../../src/cache/cache.js';
import { createCache } from '../../../src/cache/create-cache.js';
import { SCOPE_FENCE } from '../../../src/cache/namespace.js';
import { RequestCache, type CachedLoad } from '../../../src/cache/request-cache.js';
import type { CacheStore } from '../../../src/cache/store.js';
import { tierTable } from '../../../src/cache/tiers.js';
import { ResponseCache } from '../../../src/response-cache/response-cache.js';
import { scriptCache } from '../../../src/scripts/script.cache.js';
import { taskCache, taskFences } from '../../../src/tasks/task.cache.js';
import type { CacheConfig } from '../../../src/config.js';
import { RedisServer, untilStoreAnswers } from '../../helpers/redis-server.js';

let redis: RedisServer;
let inspect: Redis;
let cache: Cache;
/** The long tier at 1 s, to see a stale-while-revalidate entry go stale. */
let shortLong: Cache;
beforeAll(async () => {
  redis = await RedisServer.start();
  inspect = redis.client();
  const config = baseConfig();
  cache = createCache(config);
  shortLong = createCache({ ...config, tierSeconds: { long: 1 } });
  await untilStoreAnswers(cache.store);
  await untilStoreAnswers(shortLong.store);
});
afterAll(async () => {
  await cache?.close();
  await shortLong?.close();
  inspect?.disconnect();
  await redis?.stop();
});

function baseConfig(): CacheConfig {
  return { mode: 'on', redisUrls: [redis.url], cluster: false, commandTimeoutMs: 1_000, leaseWaitMs: 300, memoryMaxBytes: 1 << 20, tierSeconds: {} };
}

/** A load the test releases when it wants: the database answered `value`, the rest of the request has not run yet. */
function controlledLoad(value: string) {
  let release!: () => void;
  let started!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const hasStarted = new Promise<void>((resolve) => (started = resolve));
  return { release, hasStarted, gate, started, value };
}

/** One task by id, as taskById caches it; `loads` records every load that reached "the database". */
function taskSpec(loads: string[], value: string, gate?: Promise<void>, started?: () => void): CachedLoad<string, string> {
  return {
    namespace: taskCache,
    key: (id) => id,
    fences: (id) => [taskFences.task(id)],
    async load(ids) {
      loads.push(value);
      started?.();
      await gate;
      return ids.map(() => value);
    },
  };
}

describe('a read racing a write', () => {
  it('cannot store the value it loaded before the write as current: the next read misses and loads the new one', async () => {
    const scope = randomUUID();
    const taskId = randomUUID();
    const loads: string[] = [];
    const slow = controlledLoad('old');

    // The read takes the fence tokens, misses, and is loading when the write commits.
    const racing = new RequestCache(cache, scope).load(taskSpec(loads, 'old', slow.gate, slow.started), [taskId]);
    await slow.hasStarted;
    await cache.bumpFences(scope, [taskFences.task(taskId)]);
    slow.release();

    expect(await racing).toEqual(['old']);
    // Its entry was written, under the tokens it read before the write.
    expect(await inspect.exists(`tasks:v1:{${scope}}:${taskId}`)).toBe(1);
    expect(await new RequestCache(cache, scope).load(taskSpec(loads, 'new'), [taskId])).toEqual(['new']);
    expect(await new RequestCache(cache, scope).load(taskSpec(loads, 'newer'), [taskId])).toEqual(['new']);
    expect(loads).toEqual(['old', 'new']);
  });

  it('cannot have its response served either: the response carries the tokens read before the write', async () => {
    const scope = randomUUID();
    const taskId = randomUUID();
    const slow = controlledLoad('old');
    const responses = new ResponseCache(cache);
    const identity = responses.identify({ query: '{ race }', variables: { id: taskId } }, scope)!;
    responses.learn(identity, 'query');

    const request = new RequestCache(cache, scope);
    const racing = request.load(taskSpec([], 'old', slow.gate, slow.started), [taskId]);
    await slow.hasStarted;
    await cache.bumpFences(scope, [taskFences.task(taskId)]);
    slow.release();
    await racing;
    const policy = request.responsePolicy()!;
    await responses.store(identity, 'Race', '{"data":{"race":"old"}}', policy);

    expect(policy).toEqual({ ttlSeconds: 60, fences: [[SCOPE_FENCE, '0'], [taskFences.task(taskId), '0']] });
    expect(await inspect.exists(identity.key)).toBe(1);
    expect(await responses.lookup(identity)).toBeNull();
  });

  it('meets a write that landed before its tokens were read as an ordinary miss', async () => {
    const scope = randomUUID();
    const taskId = randomUUID();
    const loads: string[] = [];
    await new RequestCache(cache, scope).load(taskSpec(loads, 'old'), [taskId]);

    await cache.bumpFences(scope, [taskFences.task(taskId)]);

    expect(await new RequestCache(cache, scope).load(taskSpec(loads, 'new'), [taskId])).toEqual(['new']);
    expect(loads).toEqual(['old', 'new']);
  });
});

describe('a tier set longer than a fence lives', () => {
  it('does not keep an entry or a response longer than the fences that guard them: two days', async () => {
    const yearLong = createCache({ ...baseConfig(), tierSeconds: { long: 31_536_000, medium: 31_536_000 } });
    try {
      await untilStoreAnswers(yearLong.store);
      const scope = randomUUID();
      const taskId = randomUUID();
      const request = new RequestCache(yearLong, scope);
      const spec: CachedLoad<string, string> = {
        namespace: scriptCache,
        key: (id) => `latest:${id}`,
        fences: (id) => [taskFences.content(id)],
        load: async (ids) => ids.map(() => 'script'),
      };
      await request.load(spec, [taskId]);
      const responses = new ResponseCache(yearLong);
      const identity = responses.identify({ query: '{ yearLong }' }, scope)!;
      responses.learn(identity, 'query');
      await responses.store(identity, undefined, '{"data":{}}', request.responsePolicy()!);

      const twoDaysMs = 2 * 24 * 3_600_000;
      for (const key of [`scripts:v1:{${scope}}:latest:${taskId}`, identity.key]) {
        const pttl = await inspect.pttl(key);
        expect(pttl, key).toBeLessThanOrEqual(twoDaysMs);
        expect(pttl, key).toBeGreaterThan(twoDaysMs - 2_000);
      }
    } finally {
      await yearLong.close();
    }
  });
});

describe('a stale-while-revalidate entry past its tier', () => {
  it('is served to a concurrent request while the one that won the lease reloads it, then replaced', async () => {
    const scope = randomUUID();
    const taskId = randomUUID();
    const loads: string[] = [];
    const spec = (value: string, gate?: Promise<void>, started?: () => void): CachedLoad<string, string> => ({
      namespace: scriptCache,
      key: (id) => `latest:${id}`,
      fences: (id) => [taskFences.content(id)],
      async load(ids) {
        loads.push(value);
        started?.();
        await gate;
        return ids.map(() => value);
      },
    });
    await new RequestCache(shortLong, scope).load(spec('v1'), [taskId]);
    // Fresh for the tier (1 s), kept twice as long.
    expect(await inspect.pttl(`scripts:v1:{${scope}}:latest:${taskId}`)).toBeGreaterThan(1_000);
    await sleep(1_100);

    const slow = controlledLoad('v2');
    const reloading = new RequestCache(shortLong, scope).load(spec('v2', slow.gate, slow.started), [taskId]);
    await slow.hasStarted;
    const meanwhile = await new RequestCache(shortLong, scope).load(spec('v3'), [taskId]);
    slow.release();

    expect(meanwhile).toEqual(['v1']);
    expect(await reloading).toEqual(['v2']);
    expect(await new RequestCache(shortLong, scope).load(spec('v4'), [taskId])).toEqual(['v2']);
    expect(loads).toEqual(['v1', 'v2']);
  });
});

describe('a reader that missed just before the lease holder stored the entry and let go', () => {
  it('finds the entry with the lease it then wins, serves it, and loads nothing itself', async () => {
    const scope = randomUUID();
    const taskId = randomUUID();
    const loads: string[] = [];
    // Between the late reader's MGET (a miss) and its lease, the first reader runs to the end:
    // it loads, stores the entry and deletes its lease, so the late reader's SET NX succeeds.
    let between: (() => Promise<void>) | undefined;
    const store: CacheStore = {
      kind: cache.store.kind,
      mget: async (keys) => {
        const found = await cache.store.mget(keys);
        const run = between;
        between = undefined;
        await run?.();
        return found;
      },
      write: (entries, remove) => cache.store.write(entries, remove),
      takeLeases: (leaseKeys, entryKeys, ttlMs) => cache.store.takeLeases(leaseKeys, entryKeys, ttlMs),
      ping: () => cache.store.ping(),
      close: async () => undefined,
    };
    const late = new Cache(store, { mode: 'on', tiers: tierTable({}) });
    between = async () => {
      expect(await new RequestCache(cache, scope).load(taskSpec(loads, 'first'), [taskId])).toEqual(['first']);
    };

    expect(await new RequestCache(late, scope).load(taskSpec(loads, 'late'), [taskId])).toEqual(['first']);
    expect(loads).toEqual(['first']);
    // Its lease was given back: a fresh read finds the entry, and no lease is left behind.
    expect(await inspect.keys(`*${scope}*lease*`)).toEqual([]);
  });
});
