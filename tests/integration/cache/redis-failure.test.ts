// @requires redis-server
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheTaskDocument, CacheUpdateTaskStatusDocument } from '../../generated/graphql.js';
import { createTaskTree } from '../../helpers/factories.js';
import { RedisServer, eventually, freePort, untilStoreAnswers } from '../../helpers/redis-server.js';
import { startTestApi, type TestApi, type TestUser } from '../../helpers/test-api.js';

/** Small, so that a Redis that does not answer costs each request 50 ms, not 250. */
const COMMAND_TIMEOUT = { REDIS_COMMAND_TIMEOUT_MS: '50' };

let redis: RedisServer;
let api: TestApi;
beforeAll(async () => {
  redis = await RedisServer.start();
  api = await startTestApi({ REDIS_URL: redis.url, ...COMMAND_TIMEOUT });
  await untilStoreAnswers(api.cache.store);
});
afterAll(async () => {
  await api?.close();
  await redis?.stop();
});

async function readiness() {
  const response = await api.server.app.inject({ method: 'GET', url: '/readyz' });
  return { status: response.statusCode, body: response.json() as Record<string, string> };
}

async function arrangeCachedTask(user: TestUser): Promise<string> {
  const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
  await api.execute(CacheTaskDocument, { id: taskId! }, { as: user });
  const cached = await api.execute(CacheTaskDocument, { id: taskId! }, { as: user });
  expect(cached.headers['x-cache']).toBe('HIT');
  return taskId!;
}

const pending = (id: string) => ({ task: { id, topic: 'Topic 1', status: 'PENDING', progress: 0 } });
const running = (id: string) => ({ task: { id, topic: 'Topic 1', status: 'RUNNING', progress: 0.5 } });

describe('when Redis holds what the API cannot read', () => {
  it('takes an unreadable entry and an unreadable response for misses, and answers from the database', async () => {
    const user = await api.createUser();
    const taskId = await arrangeCachedTask(user);
    const inspect = redis.client();
    try {
      const keys = [`tasks:v1:{${user.id}}:${taskId}`, ...(await inspect.keys(`api:v1:{${user.id}}:*`))];
      expect(keys).toHaveLength(2);
      for (const key of keys) await inspect.set(key, 'not a value this API wrote', 'PX', 60_000);

      const read = await api.execute(CacheTaskDocument, { id: taskId }, { as: user });
      const again = await api.execute(CacheTaskDocument, { id: taskId }, { as: user });

      expect([read.status, read.headers['x-cache'], read.data]).toEqual([200, 'MISS', pending(taskId)]);
      expect([again.headers['x-cache'], again.data]).toEqual(['HIT', pending(taskId)]);
    } finally {
      inspect.disconnect();
    }
  });
});

describe('when Redis fails', () => {
  it('answers every request with correct data while Redis is killed, reports the cache degraded, and recovers by itself when it is back', async () => {
    const user = await api.createUser();
    const taskId = await arrangeCachedTask(user);

    await redis.kill();
    const during = [];
    for (let i = 0; i < 3; i += 1) during.push(await api.execute(CacheTaskDocument, { id: taskId }, { as: user }));
    const written = await api.execute(CacheUpdateTaskStatusDocument, { input: { id: taskId, status: 'RUNNING', progress: 0.5 } }, { as: user.agent });
    const afterWrite = await api.execute(CacheTaskDocument, { id: taskId }, { as: user });
    const ready = await readiness();

    for (const response of during) {
      expect(response.status).toBe(200);
      expect(response.data).toEqual(pending(taskId));
      expect(response.headers['x-cache']).toBe('MISS');
    }
    expect(written.errors).toBeUndefined();
    expect(afterWrite.data).toEqual(running(taskId));
    expect(ready).toEqual({ status: 200, body: { status: 'ready', database: 'up', cache: 'degraded' } });

    await redis.restart();
    const hit = await eventually(
      'a cache hit after the restart',
      async () => {
        const response = await api.execute(CacheTaskDocument, { id: taskId }, { as: user });
        expect(response.data).toEqual(running(taskId));
        return response.headers['x-cache'] === 'HIT' && response;
      },
      10_000,
    );
    expect(hit.data).toEqual(running(taskId));
    expect(await readiness()).toEqual({ status: 200, body: { status: 'ready', database: 'up', cache: 'up' } });
  });

  it('never serves what was cached before an outage once a write made during it is done: the lost fence is replayed', async () => {
    const user = await api.createUser();
    const taskId = await arrangeCachedTask(user);
    const inspect = redis.client();
    const fence = `fence:v1:{${user.id}}:task:${taskId}`;
    try {
      expect(await inspect.get(fence)).toBeNull();

      // Paused, Redis keeps its data and its connections but answers nothing:
      // commands time out until the circuit opens, then are not sent at all.
      redis.pause();
      try {
        await eventually('the circuit to open', async () => {
          const response = await api.execute(CacheTaskDocument, { id: taskId }, { as: user });
          expect(response.data).toEqual(pending(taskId));
          return (await readiness()).body.cache === 'degraded';
        });
        const written = await api.execute(CacheUpdateTaskStatusDocument, { input: { id: taskId, status: 'RUNNING', progress: 0.5 } }, { as: user.agent });
        const during = await api.execute(CacheTaskDocument, { id: taskId }, { as: user });
        expect(written.errors).toBeUndefined();
        expect(during.data).toEqual(running(taskId));
      } finally {
        redis.resume();
      }

      // The write's fence never reached Redis: the old entry and response are still there, valid by their tokens.
      expect(await inspect.get(fence)).toBeNull();
      const hit = await eventually(
        'the cache to be trusted again',
        async () => {
          const response = await api.execute(CacheTaskDocument, { id: taskId }, { as: user });
          expect(response.data).toEqual(running(taskId));
          return response.headers['x-cache'] === 'HIT' && response;
        },
        10_000,
      );
      expect(hit.data).toEqual(running(taskId));
      expect(await inspect.get(fence)).not.toBeNull();
    } finally {
      inspect.disconnect();
    }
  });

  it('replays the lost fences by itself once Redis is back, so another instance serves the write fresh though this one takes no request', async () => {
    const other = await api.startSibling();
    const inspect = redis.client();
    try {
      await untilStoreAnswers(other.cache.store);
      const user = await api.createUser();
      const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
      await other.execute(CacheTaskDocument, { id: taskId! }, { as: user });
      expect((await other.execute(CacheTaskDocument, { id: taskId! }, { as: user })).headers['x-cache']).toBe('HIT');
      const fence = `fence:v1:{${user.id}}:task:${taskId}`;

      redis.pause();
      try {
        await eventually('the circuit to open', async () => {
          await api.execute(CacheTaskDocument, { id: taskId! }, { as: user });
          return (await readiness()).body.cache === 'degraded';
        });
        const written = await api.execute(CacheUpdateTaskStatusDocument, { input: { id: taskId!, status: 'RUNNING', progress: 0.5 } }, { as: user.agent });
        expect(written.errors).toBeUndefined();
      } finally {
        redis.resume();
      }

      await eventually('the fence to be replayed', async () => (await inspect.get(fence)) !== null);
      const read = await other.execute(CacheTaskDocument, { id: taskId! }, { as: user });
      expect(read.headers['x-cache']).toBe('MISS');
      expect(read.data).toEqual(running(taskId!));
    } finally {
      inspect.disconnect();
      await other.close();
    }
  });

  it('answers correctly, uncached, when Redis was never reachable', async () => {
    const nowhere = await api.startSibling({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      const user = await nowhere.createUser();
      const [taskId] = await createTaskTree(nowhere.db, user.id, { tasks: 1 });

      const responses = [];
      for (let i = 0; i < 3; i += 1) responses.push(await nowhere.execute(CacheTaskDocument, { id: taskId! }, { as: user }));

      expect(responses.map((response) => [response.status, response.headers['x-cache'], response.data])).toEqual(
        Array.from({ length: 3 }, () => [200, 'MISS', pending(taskId!)]),
      );
    } finally {
      await nowhere.close();
    }
  });
});
