// @requires redis-server
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskTree } from '../helpers/factories.js';
import { RedisServer, eventually } from '../helpers/redis-server.js';
import { startTestApi, type NewTestUser, type TestApi } from '../helpers/test-api.js';
import { probeProgress, RawClient, TASK_UPDATED, UPDATE_STATUS, gql, wsUrlOf } from './subscriptions-client.js';

/** Two instances of the API over one database and one Redis of this file's own: the bus between them is Redis pub/sub. */
let redis: RedisServer;
let writer: TestApi;
let reader: TestApi;
beforeAll(async () => {
  redis = await RedisServer.start();
  writer = await startTestApi({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '100' });
  reader = await writer.startSibling();
});
afterAll(async () => {
  await reader?.close();
  await writer?.close();
  await redis?.stop();
});

const setProgress = (taskId: string, user: NewTestUser, progress: number) =>
  gql(writer, UPDATE_STATUS, { input: { id: taskId, status: 'RUNNING', progress } }, user.agent).then((response) => {
    if (!response.data) throw new Error(`the write failed: ${JSON.stringify(response.errors)}`);
    return response.data.updateTaskStatus.version as string;
  });

async function untilListening(client: RawClient, id: string, probe: () => Promise<unknown>): Promise<void> {
  await eventually('the subscription to hear a probe write', async () => (await probe(), client.nexts(id).length > 0), 10_000);
}

/** Channels with a subscriber on the Redis server: what the instances asked Redis for. */
async function channels(): Promise<string[]> {
  const inspect = redis.client();
  try {
    return ((await inspect.pubsub('CHANNELS', 'live:*')) as string[]).sort();
  } finally {
    inspect.disconnect();
  }
}

describe('two instances with one Redis', () => {
  it('delivers a write made on one instance to a subscriber of the other, over one Redis subscription per topic', async () => {
    const user = await writer.createUser();
    const [taskId] = await createTaskTree(writer.db, user.id, { tasks: 1 });
    const client = await RawClient.signedIn(await wsUrlOf(reader), user.token);
    client.subscribe('1', TASK_UPDATED, { id: taskId });
    client.subscribe('2', TASK_UPDATED, { id: taskId });
    await untilListening(client, '2', () => setProgress(taskId!, user, probeProgress()));

    const version = await setProgress(taskId!, user, 0.75);

    const value = await client.waitFor((message) => message.id === '1' && message.payload?.data?.taskUpdated?.version === version, 'the write of the other instance');
    expect(value.payload.data.taskUpdated).toEqual({ id: taskId, status: 'RUNNING', progress: 0.75, version });
    const inspect = redis.client();
    const [, subscribers] = (await inspect.pubsub('NUMSUB', `live:task:{${taskId}}`)) as [string, number];
    inspect.disconnect();
    expect(subscribers).toBe(1);
    client.close();
    await eventually('the topic to be given back', async () => !(await channels()).includes(`live:task:{${taskId}}`));
  });
});

describe('when Redis dies during a subscription', () => {
  it('keeps answering writes, and the subscriber catches up with what it missed once Redis is back', async () => {
    const user = await writer.createUser();
    const [taskId] = await createTaskTree(writer.db, user.id, { tasks: 1 });
    const client = await RawClient.signedIn(await wsUrlOf(reader), user.token);
    client.subscribe('1', TASK_UPDATED, { id: taskId });
    await untilListening(client, '1', () => setProgress(taskId!, user, probeProgress()));

    await redis.kill();
    const missed = await setProgress(taskId!, user, 0.5);
    await redis.restart();

    const caughtUp = await client.waitFor((message) => message.payload?.data?.taskUpdated?.version === missed, 'the write made during the outage', 15_000);
    expect(caughtUp.payload.data.taskUpdated.progress).toBe(0.5);
    // And live again: the topic was subscribed anew on the new Redis.
    await eventually('the topic on the new Redis', async () => (await channels()).includes(`live:task:{${taskId}}`), 10_000);
    const live = await setProgress(taskId!, user, 0.9);
    await client.waitFor((message) => message.payload?.data?.taskUpdated?.version === live, 'a write after the outage', 10_000);
    client.close();
  });
});
