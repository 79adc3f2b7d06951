// @requires redis-server
// @requires redis-cli
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskTree } from '../helpers/factories.js';
import { RedisCluster, eventually } from '../helpers/redis-server.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';
import { probeProgress, RawClient, TASK_UPDATED, UPDATE_STATUS, gql, wsUrlOf } from './subscriptions-client.js';

/** Two instances on a three-master Redis Cluster: the bus is sharded pub/sub (SPUBLISH / SSUBSCRIBE). */
let cluster: RedisCluster;
let writer: TestApi;
let reader: TestApi;
beforeAll(async () => {
  cluster = await RedisCluster.start();
  writer = await startTestApi({ REDIS_URL: cluster.url, REDIS_CLUSTER: 'true' });
  reader = await writer.startSibling();
}, 60_000);
afterAll(async () => {
  await reader?.close();
  await writer?.close();
  await cluster?.stop();
});

describe('on a Redis Cluster', () => {
  it('delivers a write made on one instance to a subscriber of the other through the shard of the topic', async () => {
    const user = await writer.createUser();
    const [taskId] = await createTaskTree(writer.db, user.id, { tasks: 1 });
    const setProgress = async (progress: number) =>
      (await gql(writer, UPDATE_STATUS, { input: { id: taskId, status: 'RUNNING', progress } }, user.agent)).data!.updateTaskStatus.version as string;
    const client = await RawClient.signedIn(await wsUrlOf(reader), user.token);
    client.subscribe('1', TASK_UPDATED, { id: taskId });
    await eventually('the subscription to hear a probe', async () => (await setProgress(probeProgress()), client.nexts('1').length > 0), 10_000);

    const version = await setProgress(0.8);

    const value = await client.waitFor((message) => message.payload?.data?.taskUpdated?.version === version, 'the write of the other instance');
    expect(value.payload.data.taskUpdated.progress).toBe(0.8);
    // The topic is a shard channel on the master owning its slot, not a classic channel.
    const shardChannels = await Promise.all(cluster.nodes.map(async (node) => {
      const inspect = node.client();
      try {
        return (await inspect.call('PUBSUB', 'SHARDCHANNELS', 'live:*')) as string[];
      } finally {
        inspect.disconnect();
      }
    }));
    expect(shardChannels.flat()).toContain(`live:task:{${taskId}}`);
    client.close();
  });
});
