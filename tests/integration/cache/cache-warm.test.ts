// @requires redis-server
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WARM_OPERATIONS, warmCache } from '../../../tools/cli/cache-warm.js';
import { createConversations, createTaskTree } from '../../helpers/factories.js';
import { RedisServer, untilStoreAnswers } from '../../helpers/redis-server.js';
import { startTestApi, type TestApi, type TestUser } from '../../helpers/test-api.js';

let redis: RedisServer;
let inspect: Redis;
let api: TestApi;
beforeAll(async () => {
  redis = await RedisServer.start();
  inspect = redis.client();
  api = await startTestApi({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '1000' });
  await untilStoreAnswers(api.cache.store);
});
afterAll(async () => {
  await api?.close();
  inspect?.disconnect();
  await redis?.stop();
});

/** A user with tasks (with scripts) and conversations, last active `minutesAgo`. */
async function activeUser(minutesAgo: number): Promise<TestUser> {
  const user = await api.createUser();
  const taskIds = await createTaskTree(api.db, user.id, { tasks: 3, scriptsPerTask: 2 });
  await createConversations(api.db, user.id, { conversations: 2, messagesPerConversation: 3, taskId: taskIds[0] });
  await sql`update tasks set updated_at = now() - make_interval(mins => ${minutesAgo}) where user_id = ${user.id}`.execute(api.db);
  return user;
}

function send(server: TestApi, user: TestUser, operation: (typeof WARM_OPERATIONS)[number]) {
  return server.server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    payload: operation,
  });
}

describe('cache:warm', () => {
  it('fills Redis with the first pages of the most recently active users, which a fresh instance then answers as hits', async () => {
    const recent = await activeUser(1);
    const earlier = await activeUser(5);
    const dormant = await activeUser(60 * 24);

    const report = await warmCache({ config: api.config, database: api.database, tracker: api.tracker }, { users: 2 });

    // Per user: the task page, 3 latest scripts, the conversation page, 2 message pages, the task they are about, 2 responses.
    expect(report).toEqual({ users: 2, entries: 2 * 10, failed: 0 });
    for (const user of [recent, earlier]) expect(await inspect.keys(`api:v1:{${user.id}}:*`)).toHaveLength(2);
    expect(await inspect.keys(`*{${dormant.id}}*`)).toEqual([]);

    const fresh = await api.startSibling();
    try {
      await untilStoreAnswers(fresh.cache.store);
      for (const operation of WARM_OPERATIONS) {
        const { result, statements } = await fresh.recordSql(() => send(fresh, recent, operation));
        expect(result.statusCode).toBe(200);
        expect(result.headers['x-cache']).toBe('HIT');
        expect(result.json().errors).toBeUndefined();
        // The token's user is checked once per instance; nothing else is read.
        expect(statements.filter((statement) => !/from "users"/.test(statement))).toEqual([]);
      }
      const tasks = (await send(fresh, recent, WARM_OPERATIONS[0])).json();
      expect(tasks.data.tasks.edges).toHaveLength(3);
      expect(tasks.data.tasks.edges[0].node.latestScript.version).toBe(2);
    } finally {
      await fresh.close();
    }
  });
});
