// @requires redis-server
// @requires redis-cli
// @requires initdb
// @requires pg_ctl
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRateLimitRedis } from '../../../src/resilience/redis-client.js';
import { startFaultApi, type FaultApi } from '../../helpers/fault-api.js';
import { createTaskTree } from '../../helpers/factories.js';
import { printFigures, runLoad, summarize, type FaultFigures } from '../../helpers/load-loop.js';
import { PostgresServer, postgresBinDir } from '../../helpers/postgres-server.js';
import { eventually, RedisServer } from '../../helpers/redis-server.js';
import type { TestUser } from '../../helpers/test-api.js';

/**
 * Redis (the cache and the rate limiter's counters) killed and started again
 * under load, on servers of this file's own. The cache fails open and the
 * limiter falls back to memory: no request may fail.
 *
 * Bound on any request: a Redis call either fails at once (no offline queue)
 * or within REDIS_COMMAND_TIMEOUT_MS (250 ms), and after 3 failures the
 * circuit skips Redis altogether; 1.5 s leaves room for a loaded machine.
 */
const SLOWEST_MS = 1_500;

describe.skipIf(!postgresBinDir())('Redis faults', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let api: FaultApi;
  let user: TestUser;
  let taskIds: string[];
  const figures: FaultFigures[] = [];

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([PostgresServer.start(), RedisServer.start()]);
    api = await startFaultApi({ DATABASE_URL: postgres.url, REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '250' });
    user = await api.createUser();
    taskIds = await createTaskTree(api.database.db, user.id, { tasks: 20 });
  });
  afterAll(async () => {
    printFigures(figures);
    await api?.close();
    await redis?.stop();
    await postgres?.destroy();
  });

  /** Reads that go through every Redis use: entity cache, response cache, rate-limit counters. */
  function nextRequest(n: number) {
    const query =
      n % 2 === 0
        ? { query: 'query Task($id: ID!) { task(id: $id) { id status topic } }', variables: { id: taskIds[n % taskIds.length] } }
        : { query: '{ tasks(first: 10) { nodes { id topic } } }' };
    return { body: JSON.stringify(query), token: user.token };
  }

  it('Redis killed and started again under load: no request fails, and the cache is trusted again after it', async () => {
    let n = 0;
    const started = performance.now();
    let backAt = 0;
    const loop = runLoad({ url: `${api.origin}/graphql`, next: () => nextRequest(n++), concurrency: 8, durationMs: 3_000, maxRequests: 20_000, timeoutMs: 10_000, pauseMs: 2 });
    await sleep(700);
    await redis.kill();
    await sleep(1_000);
    await redis.restart();
    backAt = performance.now() - started;
    const cacheBack = eventually('the cache circuit to close again', async () => api.cache.circuitState === 'closed' && performance.now() - started, 10_000);
    const outcomes = await loop;
    const cacheBackAt = await cacheBack;

    const summary = summarize('Redis killed, started 1 s later', outcomes, backAt);
    figures.push({ ...summary, recoveryMs: Math.round(cacheBackAt - backAt) });
    expect(summary.failed).toBe(0);
    expect(summary.slowestMs).toBeLessThan(SLOWEST_MS);
    expect(cacheBackAt - backAt).toBeLessThan(5_000);
  });

  it('does not queue commands while Redis is away: a cached read during the outage answers well under 2 x the command timeout', async () => {
    const slow = await startFaultApi({ DATABASE_URL: postgres.url, REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '1000' });
    try {
      const read = () => slow.post('query Task($id: ID!) { task(id: $id) { id topic } }', { id: taskIds[0] }, user);
      expect((await read()).status).toBe(200); // now cached in Redis
      await redis.kill();
      await sleep(100);
      const startedAt = performance.now();
      const during = await read();
      const tookMs = performance.now() - startedAt;
      expect(during.status).toBe(200);
      expect(during.json.data).toMatchObject({ task: { id: taskIds[0] } });
      expect(tookMs).toBeLessThan(500);
    } finally {
      await redis.restart();
      await slow.close();
    }
  });

  it('shows the trap: an ioredis client with its default offline queue holds a command for the whole timeout', async () => {
    const config = { ...api.config.cache, redisUrls: [redis.url], commandTimeoutMs: 1_000 };
    const failFast = connectRateLimitRedis(config);
    const queueing = new Redis(redis.url, { commandTimeout: 1_000 });
    queueing.on('error', () => undefined);
    try {
      await eventually('both clients to connect', async () => failFast.status === 'ready' && queueing.status === 'ready');
      await redis.kill();
      await eventually('both clients to notice', async () => failFast.status !== 'ready' && queueing.status !== 'ready');
      const timed = async (client: Redis | typeof failFast) => {
        const startedAt = performance.now();
        await client.get('anything').catch(() => undefined);
        return performance.now() - startedAt;
      };
      expect(await timed(failFast)).toBeLessThan(50);
      expect(await timed(queueing)).toBeGreaterThanOrEqual(900);
    } finally {
      failFast.disconnect();
      queueing.disconnect();
      await redis.restart();
    }
  });
});
