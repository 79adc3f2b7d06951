import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { eventually } from '../helpers/redis-server.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';
import { MESSAGE_ADDED, RawClient, gql, wsUrlOf } from './subscriptions-client.js';

let api: TestApi;
let metrics: Metrics;
beforeAll(async () => {
  metrics = createMetrics();
  api = await startTestApi({ SUBSCRIPTION_BUFFER_EVENTS: '8', RATE_LIMIT_POINTS: '1000000000' }, { metrics });
});
afterAll(async () => {
  await api?.close();
});

const CREATE_CONVERSATION = `mutation { createConversation(input: { title: "Flood" }) { id } }`;
const POST_MESSAGE = `mutation($id: ID!, $content: String!) { postMessage(input: { conversationId: $id, role: USER, content: $content }) { id } }`;

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const value = metric?.values.find((entry) => Object.entries(labels).every(([key, label]) => entry.labels[key] === label));
  return value?.value ?? 0;
}

describe('a consumer that never reads', () => {
  it('is closed with 4413 once its buffer is full, while the writes go on', { timeout: 60_000 }, async () => {
    const user = await api.createUser();
    const conversationId = (await gql(api, CREATE_CONVERSATION, {}, user)).data!.createConversation.id as string;
    const client = await RawClient.signedIn(await wsUrlOf(api), user.token);
    client.subscribe('1', MESSAGE_ADDED, { id: conversationId });
    await eventually('the subscription to hear a probe', async () => (await gql(api, POST_MESSAGE, { id: conversationId, content: 'probe' }, user), client.nexts('1').length > 0));

    // The client stops reading its TCP socket: the kernel buffers fill, then graphql-ws waits, then our buffer.
    (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    // Messages at the content limit (32,000 characters), so that a few hundred fill the socket's buffers.
    const bulky = 'x'.repeat(32_000);
    let written = 0;
    await eventually(
      'the slow consumer to be dropped',
      async () => {
        const response = await gql(api, POST_MESSAGE, { id: conversationId, content: bulky }, user);
        if (response.data) written += 1;
        return (await counter('subscription_events_dropped_total', { reason: 'slow_consumer' })) === 1;
      },
      45_000,
    );
    (client.socket as unknown as { _socket: { resume(): void } })._socket.resume();

    expect((await client.closed).code).toBe(4413);
    expect(written).toBeGreaterThan(8);
    expect(await counter('graphql_subscriptions', { field: 'messageAdded' })).toBe(0);
  });
});
