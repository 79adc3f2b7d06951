// @requires redis-server
// @requires redis-cli
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createRateLimiter, type RateLimiter } from '../../../src/resilience/rate-limiter.js';
import { connectRateLimitRedis } from '../../../src/resilience/redis-client.js';
import { CacheTaskDocument } from '../../generated/graphql.js';
import { createTaskTree } from '../../helpers/factories.js';
import { eventually, startRedisBackend, untilStoreAnswers, type ClusterAuth, type RedisBackend } from '../../helpers/redis-server.js';
import { startTestApi, type TestApi } from '../../helpers/test-api.js';

/**
 * A Redis Cluster whose nodes want a password (requirepass and masterauth),
 * the API connecting as a user of its own named in REDIS_URL: the cache and
 * the rate limiter must both reach it with those credentials.
 */
const AUTH: ClusterAuth = { password: 'default-user-secret', user: 'arya', userPassword: 'arya:s3cret/1' };

describe('a Redis Cluster that wants a user and a password', () => {
  let backend: RedisBackend;
  let limiter: RateLimiter;
  let api: TestApi;
  beforeAll(async () => {
    backend = await startRedisBackend('cluster', { auth: AUTH });
    const env = { ...backend.env, REDIS_COMMAND_TIMEOUT_MS: '1000' };
    limiter = createRateLimiter(loadConfig({ NODE_ENV: 'test', ...env }).rateLimit, {
      redis: connectRateLimitRedis(loadConfig({ NODE_ENV: 'test', ...env }).cache),
    });
    api = await startTestApi(env, { rateLimiter: limiter });
    await untilStoreAnswers(api.cache.store);
  });
  afterAll(async () => {
    await api?.close();
    await limiter?.close();
    await backend?.stop();
  });

  it('refuses a client that does not authenticate', async () => {
    const [port] = backend.env.REDIS_URL!.split(',').map((url) => Number(new URL(url).port));
    const anonymous = new Redis(port!, '127.0.0.1', { maxRetriesPerRequest: 0 });
    anonymous.on('error', () => undefined);
    try {
      await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
    } finally {
      anonymous.disconnect();
    }
  });

  it('holds the cache: the second read of a task is a hit, its entry in the cluster', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });

    const first = await api.execute(CacheTaskDocument, { id: taskId! }, { as: user });
    const second = await eventually('a cache hit', async () => {
      const read = await api.execute(CacheTaskDocument, { id: taskId! }, { as: user });
      return read.headers['x-cache'] === 'HIT' && read;
    });

    expect(first.errors).toBeUndefined();
    expect(second.data).toEqual(first.data);
    expect(await backend.keys(`tasks:v1:{${user.id}}:*`)).toEqual([`tasks:v1:{${user.id}}:${taskId}`]);
  });

  it('holds the rate limits: a viewer\'s budget is counted in the cluster, shared by every instance', async () => {
    const user = await api.createUser();

    await api.execute(CacheTaskDocument, { id: '00000000-0000-4000-8000-000000000000' }, { as: user });

    const key = `rate-limit:v1:viewer:${user.id}`;
    expect(await backend.keys(key)).toEqual([key]);
    expect(Number(await backend.client.get(key))).toBeGreaterThanOrEqual(1);
  });
});
