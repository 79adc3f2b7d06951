// @requires redis-server
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CacheCreateTaskDocument,
  CacheTaskDocument,
  CacheTasksPageDocument,
  CacheUpdateTaskStatusDocument,
  CacheViewerEmailDocument,
} from '../../generated/graphql.js';
import { createTaskTree } from '../../helpers/factories.js';
import { RedisServer, untilStoreAnswers } from '../../helpers/redis-server.js';
import { startTestApi, type TestApi } from '../../helpers/test-api.js';

/** Two API instances sharing one Redis and one database, as two pods behind a load balancer. */
let redis: RedisServer;
let a: TestApi;
let b: TestApi;
beforeAll(async () => {
  redis = await RedisServer.start();
  // A long lease wait: the stampede test asserts one load however slow a busy CI machine makes it.
  a = await startTestApi({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '1000', CACHE_LEASE_WAIT_MS: '10000' });
  b = await a.startSibling();
  await untilStoreAnswers(a.cache.store);
  await untilStoreAnswers(b.cache.store);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await redis?.stop();
});

describe('two instances on one Redis', () => {
  it('answer from the response one of them stored, on the other one\'s first request', async () => {
    const user = await a.createUser();
    const [taskId] = await createTaskTree(a.db, user.id, { tasks: 1 });
    await b.execute(CacheViewerEmailDocument, {}, { as: user });

    const computed = await a.execute(CacheTaskDocument, { id: taskId! }, { as: user });
    const { result: elsewhere, statements } = await b.recordSql(() => b.execute(CacheTaskDocument, { id: taskId! }, { as: user }));

    expect(computed.headers['x-cache']).toBe('MISS');
    expect(elsewhere.headers['x-cache']).toBe('HIT');
    expect(statements).toEqual([]);
    expect(elsewhere.data).toEqual(computed.data);
  });

  it('serve a task written through one of them fresh through the other, whose cached response held the old one', async () => {
    const user = await a.createUser();
    const [taskId] = await createTaskTree(a.db, user.id, { tasks: 1 });
    await b.execute(CacheTaskDocument, { id: taskId! }, { as: user });
    const before = await b.execute(CacheTaskDocument, { id: taskId! }, { as: user });
    expect(before.headers['x-cache']).toBe('HIT');
    expect(before.data?.task?.status).toBe('PENDING');

    const written = await a.execute(CacheUpdateTaskStatusDocument, { input: { id: taskId!, status: 'RUNNING', progress: 0.5 } }, { as: user.agent });
    const after = await b.execute(CacheTaskDocument, { id: taskId! }, { as: user });
    const again = await b.execute(CacheTaskDocument, { id: taskId! }, { as: user });

    expect(written.errors).toBeUndefined();
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.data?.task).toEqual({ id: taskId, topic: 'Topic 1', status: 'RUNNING', progress: 0.5 });
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.data).toEqual(after.data);
  });

  it('serve a page with a task created through the other instance', async () => {
    const user = await a.createUser();
    await createTaskTree(a.db, user.id, { tasks: 2 });
    await a.execute(CacheTasksPageDocument, { first: 5 }, { as: user });
    expect((await a.execute(CacheTasksPageDocument, { first: 5 }, { as: user })).headers['x-cache']).toBe('HIT');

    const created = await b.execute(CacheCreateTaskDocument, { input: { topic: 'Made on b' } }, { as: user });
    const page = await a.execute(CacheTasksPageDocument, { first: 5 }, { as: user });

    expect(page.headers['x-cache']).toBe('MISS');
    expect(page.data?.tasks.nodes.map((task) => task.topic)).toEqual(['Made on b', 'Topic 1', 'Topic 2']);
    expect(page.data?.tasks.nodes[0]?.id).toBe(created.data?.createTask.id);
  });

  it('load a cold task once for 50 concurrent requests spread over both', async () => {
    const user = await a.createUser();
    const [taskId] = await createTaskTree(a.db, user.id, { tasks: 1 });
    // Each instance checks once that a token's user exists; that is not the load under test.
    await a.execute(CacheViewerEmailDocument, {}, { as: user });
    await b.execute(CacheViewerEmailDocument, {}, { as: user });

    const { result: responses, statements } = await a.recordSql(() =>
      Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).execute(CacheTaskDocument, { id: taskId! }, { as: user }))),
    );

    for (const response of responses) {
      expect(response.errors).toBeUndefined();
      expect(response.data?.task).toEqual({ id: taskId, topic: 'Topic 1', status: 'PENDING', progress: 0 });
    }
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^select .* from "tasks" where "id" = \$1::uuid and "user_id" = \$2$/);
  });
});
