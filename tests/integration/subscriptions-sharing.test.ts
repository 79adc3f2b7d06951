import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { createTaskTree } from '../helpers/factories.js';
import { startTestApi, type NewTestUser, type TestApi } from '../helpers/test-api.js';
import { probeProgress, RawClient, UPDATE_STATUS, gql, wsUrlOf } from './subscriptions-client.js';

let api: TestApi;
let url: string;
let metrics: Metrics;
beforeAll(async () => {
  metrics = createMetrics();
  api = await startTestApi({}, { metrics });
  url = await wsUrlOf(api);
});
afterAll(async () => {
  await api?.close();
});

/** A nested field that reads through the loaders: what one execution costs in SQL shows in the statements. */
const WITH_STORYBOARDS = `subscription($id: ID!, $since: String) { taskUpdated(id: $id, since: $since) { id progress storyboards(first: 5) { nodes { sequenceNumber } } } }`;
const PROGRESS_ONLY = `subscription($id: ID!) { taskUpdated(id: $id) { id progress } }`;

async function executions(): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((entry) => entry.name === 'subscription_executions_total');
  return metric?.values[0]?.value ?? 0;
}

const setProgress = (taskId: string, user: NewTestUser, progress: number) =>
  gql(api, UPDATE_STATUS, { input: { id: taskId, status: 'RUNNING', progress } }, user.agent).then((response) => response.data!.updateTaskStatus.version as string);

interface Watcher {
  readonly client: RawClient;
  readonly id: string;
}

/** `count` subscriptions of `query` on `taskId`, 10 to a socket, each listening (a probe write reached it). */
async function watch(user: NewTestUser, taskId: string, count: number, query: string, variables: (i: number) => Record<string, unknown> = () => ({})): Promise<Watcher[]> {
  const watchers: Watcher[] = [];
  for (let s = 0; s * 10 < count; s += 1) {
    const client = await RawClient.signedIn(url, user.token);
    for (let i = s * 10; i < Math.min(count, s * 10 + 10); i += 1) {
      client.subscribe(String(i), query, { id: taskId, ...variables(i) });
      watchers.push({ client, id: String(i) });
    }
  }
  // Subscribing is asynchronous: probe until every one of them heard a write.
  for (let attempt = 0; watchers.some(({ client, id }) => client.nexts(id).length === 0); attempt += 1) {
    if (attempt === 100) throw new Error('some subscriptions never heard the probe');
    await setProgress(taskId, user, probeProgress());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return watchers;
}

const ADD_STORYBOARD = `mutation($id: ID!) { addStoryboards(taskId: $id, inputs: [{ sequenceNumber: 3, description: "d", prompt: "p", durationSeconds: 2 }]) { id } }`;

/**
 * Sets the progress, waits until every watcher received it, and answers the
 * SQL and executions that cost. A storyboard added first changes the task's
 * storyboards, so the event's execution reads them again (not from the cache).
 */
async function oneEvent(user: NewTestUser, taskId: string, progress: number, watchers: readonly Watcher[]) {
  await gql(api, ADD_STORYBOARD, { id: taskId }, user.agent);
  const before = await executions();
  const { statements } = await api.recordSql(async () => {
    await setProgress(taskId, user, progress);
    for (const { client, id } of watchers) await client.waitFor((message) => message.id === id && message.payload?.data?.taskUpdated?.progress === progress, `${progress} on ${id}`);
  });
  const values = watchers.map(({ client, id }) => client.nexts(id).at(-1).data.taskUpdated);
  return { statements, executions: (await executions()) - before, values };
}

const close = (watchers: readonly Watcher[]) => new Set(watchers.map(({ client }) => client)).forEach((client) => client.close());

describe('a published event executes once per shape, not once per subscriber', () => {
  it('costs 100 subscribers of one task the execution and SQL statements of 1', async () => {
    const user = await api.createUser();
    const [alone, crowded] = await createTaskTree(api.db, user.id, { tasks: 2, storyboardsPerTask: 3 });
    const one = await watch(user, alone!, 1, WITH_STORYBOARDS);
    // Resumed from different versions: `since` decides the replay, not the payload, so they still share.
    const since = await setProgress(crowded!, user, probeProgress());
    const hundred = await watch(user, crowded!, 100, WITH_STORYBOARDS, (i) => (i % 2 === 0 ? {} : { since }));

    const single = await oneEvent(user, alone!, 0.5, one);
    const many = await oneEvent(user, crowded!, 0.5, hundred);

    expect(single.executions).toBe(1);
    expect(many.executions).toBe(1);
    expect(many.statements).toEqual(single.statements);
    expect(many.statements.filter((statement) => statement.includes('"storyboards"'))).toHaveLength(1);
    const expected = { id: crowded, progress: 0.5, storyboards: { nodes: [0, 1, 2, 3].map((sequenceNumber) => ({ sequenceNumber })) } };
    expect(many.values).toEqual(Array.from({ length: 100 }, () => expected));
    close([...one, ...hundred]);
  });

  it('executes once per distinct selection and once per token scope of the same user', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    const watchers = [...(await watch(user, taskId!, 3, PROGRESS_ONLY)), ...(await watch(user, taskId!, 3, WITH_STORYBOARDS))];
    const agent = await RawClient.signedIn(url, user.agent.token);
    agent.subscribe('a', PROGRESS_ONLY, { id: taskId });
    for (let attempt = 0; agent.nexts('a').length === 0; attempt += 1) {
      if (attempt === 100) throw new Error('the agent subscription never heard the probe');
      await setProgress(taskId!, user, probeProgress());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const event = await oneEvent(user, taskId!, 0.7, [...watchers, { client: agent, id: 'a' }]);

    // PROGRESS_ONLY for the user token, PROGRESS_ONLY for the agent token, WITH_STORYBOARDS for the user token.
    expect(event.executions).toBe(3);
    close([...watchers, { client: agent, id: 'a' }]);
  });
});

describe('documents over WebSocket', () => {
  it('refuses a document past the query limits as the HTTP path does, each time it is sent', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    // 3 levels per round: 8 rounds nest 24 fields deep, past QUERY_MAX_DEPTH (12).
    const nested = Array.from({ length: 8 }).reduce<string>((inner) => `storyboards { nodes { task { ${inner} } } }`, 'id');
    const deep = `subscription($id: ID!) { taskUpdated(id: $id) { ${nested} } }`;
    const client = await RawClient.signedIn(url, user.token);
    client.subscribe('1', deep, { id: taskId });
    client.subscribe('2', deep, { id: taskId });

    const refusals = await Promise.all(['1', '2'].map((id) => client.waitFor((message) => message.id === id && message.type === 'error', `the refusal of ${id}`)));

    expect(refusals.map((message) => message.payload.map((error: { extensions?: { code?: string } }) => error.extensions?.code))).toEqual([['QUERY_TOO_DEEP'], ['QUERY_TOO_DEEP']]);
    client.close();
  });
});
