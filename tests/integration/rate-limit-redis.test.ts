// @requires redis-server
// @requires redis-cli
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitConfig } from '../../src/config.js';
import { EXECUTED_UNITS } from '../../src/limits/request-charge.js';
import { createRateLimiter, type RateLimiter } from '../../src/resilience/rate-limiter.js';
import { connectRateLimitRedis } from '../../src/resilience/redis-client.js';
import { eventually, RedisServer } from '../helpers/redis-server.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';

/**
 * Two instances of the API, each with a Redis connection of its own to one
 * redis-server on a spare port: the budgets they enforce are one.
 */
/**
 * Each request below is an anonymous document of its own that Apollo runs:
 * 1 + 50 units (src/limits/request-charge.ts) whatever the caches hold (no
 * viewer to check or load, no answer stored): the budget is the client IP's.
 */
const EACH = 1 + EXECUTED_UNITS;
const BUDGET: RateLimitConfig = { points: 2, anonymousPoints: 4 * EACH, windowSeconds: 60, registrationKibPerHour: 256, expensiveInFlight: 2 };
let clientIps = 0;
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

/** A client of its own: an IP no other test spends from. */
const newClientIp = () => `10.77.0.${++clientIps}`;

async function status(api: TestApi, ip: string): Promise<number> {
  const response = await api.server.app.inject({
    method: 'POST',
    url: '/graphql',
    remoteAddress: ip,
    headers: { 'content-type': 'application/json' },
    // A new alias each time: Apollo runs each.
    payload: JSON.stringify({ query: `{ t${distinct++}: __typename }` }),
  });
  return response.statusCode;
}

describe('rate limits shared through Redis', () => {
  it('are one budget across instances: 2 requests on each spend the budget of 4, the fifth is refused on either', async () => {
    const ip = newClientIp();
    expect([await status(first, ip), await status(second, ip), await status(first, ip), await status(second, ip)]).toEqual([200, 200, 200, 200]);
    expect(await status(first, ip)).toBe(429);
    expect(await status(second, ip)).toBe(429);
    const probe = redis.client();
    expect(Number(await probe.get(`rate-limit:v1:ip:${ip}`))).toBeGreaterThanOrEqual(4 * EACH);
    probe.disconnect();
  });

  it('fall back to an in-memory limit of the same size while Redis is down: nothing fails, nothing goes unlimited', async () => {
    const ip = newClientIp();
    await redis.kill();
    await eventually('the limiter to notice', async () => clients[0]!.status !== 'ready');
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push(await status(first, ip));
    expect(answers).toEqual([200, 200, 200, 200, 429]);
    await redis.restart();
    await eventually('the limiter to reconnect', async () => clients.every((client) => client.status === 'ready'), 10_000);
    // Back on Redis, where this client has spent nothing yet.
    const other = newClientIp();
    expect(await status(second, other)).toBe(200);
  });
});
