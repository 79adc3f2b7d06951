// @requires redis-server
// @requires redis-cli
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitConfig } from '../../src/config.js';
import { EXECUTED_UNITS } from '../../src/limits/request-charge.js';
import { createRateLimiter, type RateLimiter } from '../../src/resilience/rate-limiter.js';
import { connectRateLimitRedis } from '../../src/resilience/redis-client.js';
import { eventually, RedisServer } from '../helpers/redis-server.js';
import { startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

/**
 * Two instances of the API, each with a Redis connection of its own to one
 * redis-server on a spare port: the budgets they enforce are one.
 */
/** Each request below is a document of its own that Apollo runs: 1 + 50 units (src/limits/request-charge.ts). */
const EACH = 1 + EXECUTED_UNITS;
const BUDGET: RateLimitConfig = { points: 4 * EACH, anonymousPoints: 2, windowSeconds: 60, registrationKibPerHour: 256, expensiveInFlight: 2 };
let distinct = 0;
let redis: RedisServer;
let clients: Redis[];
let limiters: RateLimiter[];
let first: TestApi;
let second: TestApi;

beforeAll(async () => {
  redis = await RedisServer.start();
  const cacheConfig = { mode: 'on', redisUrls: [redis.url], cluster: false, commandTimeoutMs: 250, leaseWaitMs: 300, memoryMaxBytes: 1 << 20, tierSeconds: {} } as const;
  clients = [connectRateLimitRedis(cacheConfig) as Redis, connectRateLimitRedis(cacheConfig) as Redis];
  limiters = clients.map((redisClient) => createRateLimiter(BUDGET, { redis: redisClient }));
  await Promise.all(clients.map((client) => eventually('the limiter to reach Redis', async () => client.status === 'ready')));
  first = await startTestApi({}, { rateLimiter: limiters[0] });
  second = await first.startSibling({}, { rateLimiter: limiters[1] });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
  await Promise.all(limiters.map((limiter) => limiter.close()));
  await redis.stop();
});

async function status(api: TestApi, user: TestUser): Promise<number> {
  const response = await api.server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
    // A new alias each time: no response cache answers it (that would cost 1).
    payload: JSON.stringify({ query: `{ v${distinct++}: viewer { id } }` }),
  });
  return response.statusCode;
}

describe('rate limits shared through Redis', () => {
  it('are one budget across instances: 2 requests on each spend the budget of 4, the fifth is refused on either', async () => {
    const user = await first.createUser();
    expect([await status(first, user), await status(second, user), await status(first, user), await status(second, user)]).toEqual([200, 200, 200, 200]);
    expect(await status(first, user)).toBe(429);
    expect(await status(second, user)).toBe(429);
    const probe = redis.client();
    expect(Number(await probe.get(`rate-limit:v1:viewer:${user.id}`))).toBeGreaterThanOrEqual(4 * EACH);
    probe.disconnect();
  });

  it('fall back to an in-memory limit of the same size while Redis is down: nothing fails, nothing goes unlimited', async () => {
    const user = await first.createUser();
    await redis.kill();
    await eventually('the limiter to notice', async () => clients[0]!.status !== 'ready');
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push(await status(first, user));
    expect(answers).toEqual([200, 200, 200, 200, 429]);
    await redis.restart();
    await eventually('the limiter to reconnect', async () => clients.every((client) => client.status === 'ready'), 10_000);
    // Back on Redis, where this viewer has spent nothing yet.
    const other = await first.createUser();
    expect(await status(second, other)).toBe(200);
  });
});
