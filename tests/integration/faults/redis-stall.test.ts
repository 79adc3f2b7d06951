// @requires redis-server
// @requires initdb
// @requires pg_ctl
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultApi, type FaultApi } from '../../helpers/fault-api.js';
import { createTaskTree } from '../../helpers/factories.js';
import { runLoad, type RequestOutcome } from '../../helpers/load-loop.js';
import { PostgresServer } from '../../helpers/postgres-server.js';
import { RedisProxy } from '../../helpers/redis-proxy.js';
import { eventually, RedisServer } from '../../helpers/redis-server.js';
import type { TestUser } from '../../helpers/test-api.js';

/** Long enough for both circuits (the cache's, the rate limiter's) to have seen 3 timeouts of 250 ms on a loaded machine. */
const STALL_SEEN_MS = 1_000;
const COOLDOWN_MS = 1_000;

/**
 * Redis frozen (SIGSTOP: connections open, nothing answered, as a partition
 * looks) under load, on servers of this file's own, the API wired as main.ts
 * wires it. A proxy in front of Redis sees every command the API sends, even
 * those Redis never reads.
 */
describe('a stalled Redis', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let proxy: RedisProxy;
  let api: FaultApi;
  let user: TestUser;
  let taskIds: string[];

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([PostgresServer.start(), RedisServer.start()]);
    proxy = await RedisProxy.start(redis.port);
    api = await startFaultApi({ DATABASE_URL: postgres.url, REDIS_URL: proxy.url, REDIS_COMMAND_TIMEOUT_MS: '250' });
    user = await api.createUser();
    taskIds = await createTaskTree(api.database.db, user.id, { tasks: 20 });
  });
  afterAll(async () => {
    redis?.resume();
    await api?.close();
    await proxy?.stop();
    await redis?.stop();
    await postgres?.destroy();
  });

  function load(durationMs: number): Promise<RequestOutcome[]> {
    let n = 0;
    return runLoad({
      url: `${api.origin}/graphql`,
      next: () => {
        n += 1;
        const query =
          n % 2 === 0
            ? { query: 'query Task($id: ID!) { task(id: $id) { id status topic } }', variables: { id: taskIds[n % taskIds.length] } }
            : { query: '{ tasks(first: 10) { nodes { id topic } } }' };
        return { body: JSON.stringify(query), token: user.token };
      },
      concurrency: 4,
      durationMs,
      maxRequests: 50_000,
      timeoutMs: 10_000,
      pauseMs: 2,
    });
  }

  it('costs the requests in flight when it stalled one command timeout, then nothing: while the circuits are open only their background probes reach Redis', async () => {
    await load(1_000); // warm-up: JIT, pools, the cache filled
    const before = await load(1_500);

    redis.pause();
    const pausedAt = performance.now();
    const outcomes = await load(3_500);
    const loadEnd = performance.now();
    const stallSeenAt = pausedAt + STALL_SEEN_MS;

    redis.resume();
    const resumedAt = performance.now();
    // Reads go on meanwhile, as they would: the cache is trusted again once its circuit has closed.
    const read = () => api.post('query Task($id: ID!) { task(id: $id) { id } }', { id: taskIds[0] }, user);
    await eventually('the cache circuit to close', async () => (await read(), api.cache.circuitState === 'closed'), 10_000);
    const trustedAfterMs = performance.now() - resumedAt;
    await eventually('a cache hit', async () => (await read(), (await read()).headers.get('x-cache') === 'HIT'));

    const sentWhileOpen = proxy.between(stallSeenAt, loadEnd);
    const afterSeen = outcomes.filter((outcome) => outcome.startedAt >= STALL_SEEN_MS);
    const p50Before = percentile(before.map((o) => o.durationMs), 0.5);
    const p50Stalled = percentile(afterSeen.map((o) => o.durationMs), 0.5);
    const firstSecond = outcomes.filter((outcome) => outcome.startedAt < STALL_SEEN_MS);
    console.log(
      [
        '| Redis stalled (SIGSTOP) | requests | p50 ms | p99 ms | slowest ms |',
        '|---|--:|--:|--:|--:|',
        row('before the stall (cache up)', before),
        row('first second of the stall', firstSecond),
        row('after the first second', afterSeen),
        `added p50 after the first second: ${(p50Stalled - p50Before).toFixed(1)} ms; ` +
          `commands sent after the first second: ${sentWhileOpen.length} (${[...new Set(sentWhileOpen.map((c) => c.name))].join(', ')}); ` +
          `cache trusted again ${Math.round(trustedAfterMs)} ms after SIGCONT`,
      ].join('\n'),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(afterSeen.length).toBeGreaterThan(0);
    // No request's command, only the probes: one PING per circuit per cooldown.
    expect(sentWhileOpen.filter((command) => command.name !== 'PING')).toEqual([]);
    expect(sentWhileOpen.length).toBeLessThanOrEqual(2 * (Math.ceil((loadEnd - stallSeenAt) / COOLDOWN_MS) + 1));
  });
});

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
}

function row(label: string, outcomes: readonly RequestOutcome[]): string {
  const durations = outcomes.map((o) => o.durationMs);
  const slowest = Math.max(0, ...durations);
  return `| ${label} | ${outcomes.length} | ${percentile(durations, 0.5).toFixed(1)} | ${percentile(durations, 0.99).toFixed(1)} | ${slowest.toFixed(0)} |`;
}
