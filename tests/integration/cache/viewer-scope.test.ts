// @requires redis-server
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheTasksPageDocument, CacheViewerEmailDocument } from '../../generated/graphql.js';
import { createTaskTree } from '../../helpers/factories.js';
import { RedisServer, untilStoreAnswers } from '../../helpers/redis-server.js';
import { startTestApi, type TestApi } from '../../helpers/test-api.js';

let redis: RedisServer;
let api: TestApi;
beforeAll(async () => {
  redis = await RedisServer.start();
  api = await startTestApi({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '1000' });
  await untilStoreAnswers(api.cache.store);
});
afterAll(async () => {
  await api?.close();
  await redis?.stop();
});

describe('the cache of one viewer', () => {
  it('is never another viewer\'s: the same tasks(first: 5) answers each their own tasks, cold and cached', async () => {
    const alice = await api.createUser('Alice');
    const bob = await api.createUser('Bob');
    const aliceTasks = await createTaskTree(api.db, alice.id, { tasks: 3 });
    const bobTasks = await createTaskTree(api.db, bob.id, { tasks: 2 });

    const rounds = [];
    for (let round = 0; round < 3; round += 1) {
      const forAlice = await api.execute(CacheTasksPageDocument, { first: 5 }, { as: alice });
      const forBob = await api.execute(CacheTasksPageDocument, { first: 5 }, { as: bob });
      expect(forAlice.data?.tasks.nodes.map((task) => task.id)).toEqual(aliceTasks);
      expect(forBob.data?.tasks.nodes.map((task) => task.id)).toEqual(bobTasks);
      rounds.push([forAlice.headers['x-cache'], forBob.headers['x-cache']]);
    }

    expect(rounds).toEqual([
      ['MISS', 'MISS'],
      ['HIT', 'HIT'],
      ['HIT', 'HIT'],
    ]);
  });

  it('is never another viewer\'s: viewer { email } answers each their own address, cold and cached', async () => {
    const alice = await api.createUser('Alice');
    const bob = await api.createUser('Bob');

    const answers = [];
    for (let round = 0; round < 2; round += 1) {
      for (const user of [alice, bob]) {
        const response = await api.execute(CacheViewerEmailDocument, {}, { as: user });
        answers.push([response.data?.viewer.email, response.headers['x-cache']]);
      }
    }

    expect(answers).toEqual([
      [alice.email, 'MISS'],
      [bob.email, 'MISS'],
      [alice.email, 'HIT'],
      [bob.email, 'HIT'],
    ]);
  });

  it('is never served to an anonymous request of the same operation', async () => {
    const alice = await api.createUser('Alice');
    await api.execute(CacheViewerEmailDocument, {}, { as: alice });
    await api.execute(CacheViewerEmailDocument, {}, { as: alice });

    const anonymous = await api.execute(CacheViewerEmailDocument, {});

    expect(anonymous.headers['x-cache']).toBe('MISS');
    expect(anonymous.data).toBeNull();
    expect(anonymous.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});
