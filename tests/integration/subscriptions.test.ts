import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { createTaskTree } from '../helpers/factories.js';
import { eventually } from '../helpers/redis-server.js';
import { startTestApi, type NewTestUser, type TestApi } from '../helpers/test-api.js';
import { MESSAGE_ADDED, probeProgress, RawClient, STORYBOARDS, TASK_UPDATED, UPDATE_STATUS, VIEWER_TASKS, gql, wsUrlOf } from './subscriptions-client.js';

let api: TestApi;
let url: string;
beforeAll(async () => {
  api = await startTestApi({ SUBSCRIPTIONS_PER_CONNECTION: '3', WS_INIT_TIMEOUT_MS: '300' });
  url = await wsUrlOf(api);
});
afterAll(async () => {
  await api?.close();
});

const CREATE_TASK = `mutation($topic: String!) { createTask(input: { topic: $topic }) { id version } }`;
const DELETE_TASK = `mutation($id: ID!) { deleteTask(id: $id) }`;
const CREATE_TASKS = `mutation($inputs: [CreateTaskInput!]!) { createTasks(inputs: $inputs) { id } }`;
const UPDATE_STATUSES = `mutation($inputs: [UpdateTaskStatusInput!]!) { updateTasksStatus(inputs: $inputs) { id } }`;
const CREATE_CONVERSATION = `mutation { createConversation(input: { title: "Live" }) { id } }`;
const POST_MESSAGE = `mutation($id: ID!, $content: String!) { postMessage(input: { conversationId: $id, role: USER, content: $content }) { id version } }`;
const ADD_STORYBOARDS = `mutation($id: ID!, $n: Int!) { addStoryboards(taskId: $id, inputs: [{ sequenceNumber: $n, description: "d", prompt: "p", durationSeconds: 2 }]) { id version } }`;

/**
 * Repeats `probe` (a write) until subscription `id` has sent something: then
 * it is listening. Answers the values seen so far; later values are the test's.
 */
async function untilListening(client: RawClient, id: string, probe: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await probe();
    if (client.nexts(id).length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the subscription never heard the probe: ${JSON.stringify(client.messages)}`);
}

const setProgress = (taskId: string, user: NewTestUser, progress: number) =>
  gql(api, UPDATE_STATUS, { input: { id: taskId, status: 'RUNNING', progress } }, user.agent).then((response) => response.data!.updateTaskStatus.version as string);

/** The codes a subscribe was refused with: an `error` message (before it ran) or a `next` with errors (it ran and threw). */
async function errorCodes(client: RawClient, id: string): Promise<unknown[]> {
  const refused = (message: { id?: string; type: string; payload?: any }) => message.id === id && (message.type === 'error' || message.payload?.errors);
  const message = await client.waitFor(refused, `an error for ${id}`);
  const errors = (message.type === 'error' ? message.payload : message.payload.errors) as { extensions?: { code?: string } }[];
  return errors.map((error) => error.extensions?.code);
}

async function gauge(metrics: Metrics, field: string): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((entry) => entry.name === 'graphql_subscriptions');
  return metric?.values.find((entry) => entry.labels.field === field)?.value ?? 0;
}

describe('taskUpdated', () => {
  it('sends the task after each status change a mutation commits, with the version the mutation answered', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    const client = await RawClient.signedIn(url, user.token);
    client.subscribe('1', TASK_UPDATED, { id: taskId });
    await untilListening(client, '1', () => setProgress(taskId!, user, 0.01));

    const version = await setProgress(taskId!, user, 0.5);
    const value = await client.waitFor((message) => message.payload?.data?.taskUpdated?.version === version, 'the written version');

    expect(value.payload).toEqual({ data: { taskUpdated: { id: taskId, status: 'RUNNING', progress: 0.5, version } } });
    client.close();
  });

  it("answers NOT_FOUND for another user's task and BAD_USER_INPUT for a malformed id or since", async () => {
    const [owner, other] = await Promise.all([api.createUser(), api.createUser()]);
    const [taskId] = await createTaskTree(api.db, owner.id, { tasks: 1 });
    const client = await RawClient.signedIn(url, other.token);
    client.subscribe('1', TASK_UPDATED, { id: taskId });
    client.subscribe('2', TASK_UPDATED, { id: 'not-a-uuid' });
    client.subscribe('3', TASK_UPDATED, { id: taskId, since: 'garbage' });

    expect(await errorCodes(client, '1')).toEqual(['NOT_FOUND']);
    expect(await errorCodes(client, '2')).toEqual(['BAD_USER_INPUT']);
    expect(await errorCodes(client, '3')).toEqual(['BAD_USER_INPUT']);
    client.close();
  });

  it('replays the current state first when it is newer than `since`, and nothing when it is not', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    const seen = await setProgress(taskId!, user, 0.2);
    const missed = await setProgress(taskId!, user, 0.4);

    const behind = await RawClient.signedIn(url, user.token);
    behind.subscribe('1', TASK_UPDATED, { id: taskId, since: seen });
    const [first] = await behind.nextsOf('1', 1);
    expect(first).toEqual({ data: { taskUpdated: { id: taskId, status: 'RUNNING', progress: 0.4, version: missed } } });

    const upToDate = await RawClient.signedIn(url, user.token);
    upToDate.subscribe('1', TASK_UPDATED, { id: taskId, since: missed });
    await untilListening(upToDate, '1', () => setProgress(taskId!, user, 0.6));
    expect(upToDate.nexts('1')[0].data.taskUpdated.progress).toBe(0.6);
    behind.close();
    upToDate.close();
  });

  it('completes when the task is deleted', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    const client = await RawClient.signedIn(url, user.token);
    client.subscribe('1', TASK_UPDATED, { id: taskId });
    await untilListening(client, '1', () => setProgress(taskId!, user, 0.1));

    await gql(api, DELETE_TASK, { id: taskId }, user);

    await client.waitFor((message) => message.id === '1' && message.type === 'complete', 'complete');
    client.close();
  });
});

describe('viewerTasksChanged', () => {
  it('sends created, updated and deleted tasks of the viewer only, and replays what changed after `since`', async () => {
    const [user, other] = await Promise.all([api.createUser(), api.createUser()]);
    const client = await RawClient.signedIn(url, user.token);
    client.subscribe('1', VIEWER_TASKS);
    const probe = await gql(api, CREATE_TASK, { topic: 'probe' }, user);
    const probeId = probe.data!.createTask.id as string;
    await untilListening(client, '1', () => setProgress(probeId, user, probeProgress()));

    await gql(api, CREATE_TASK, { topic: 'not mine' }, other);
    const created = await gql(api, CREATE_TASK, { topic: 'live' }, user);
    const id = created.data!.createTask.id as string;
    await setProgress(id, user, 0.3);
    await gql(api, DELETE_TASK, { id }, user);
    await client.waitFor((message) => message.payload?.data?.viewerTasksChanged?.kind === 'DELETED', 'the delete');

    const changes = client.nexts('1').map((value) => value.data.viewerTasksChanged).filter((change) => change.taskId !== probeId);
    expect(changes.map((change) => [change.kind, change.task?.topic ?? null, change.task?.status ?? null])).toEqual([
      ['CREATED', 'live', 'PENDING'],
      ['UPDATED', 'live', 'RUNNING'],
      ['DELETED', null, null],
    ]);
    expect(changes[0].version).toBe(created.data!.createTask.version);

    // Resubscribing after the first change: the task's state now, once.
    const resumed = await RawClient.signedIn(url, user.token);
    const later = await gql(api, CREATE_TASK, { topic: 'after' }, user);
    resumed.subscribe('1', VIEWER_TASKS, { since: created.data!.createTask.version });
    const replayed = await resumed.waitFor((message) => message.payload?.data?.viewerTasksChanged?.taskId === later.data!.createTask.id, 'the replay');
    expect(replayed.payload.data.viewerTasksChanged).toMatchObject({ kind: 'CREATED', version: later.data!.createTask.version });
    client.close();
    resumed.close();
  });
  it('hears every task of a batch write, in input order (one bus message carries them all)', async () => {
    const user = await api.createUser();
    const client = await RawClient.signedIn(url, user.token);
    client.subscribe('1', VIEWER_TASKS);
    const probe = await gql(api, CREATE_TASK, { topic: 'probe' }, user);
    const probeId = probe.data!.createTask.id as string;
    await untilListening(client, '1', () => setProgress(probeId, user, probeProgress()));

    const topics = ['first', 'second', 'third'];
    const created = await gql(api, CREATE_TASKS, { inputs: topics.map((topic) => ({ topic })) }, user);
    const ids = (created.data!.createTasks as { id: string }[]).map((task) => task.id);
    await gql(api, UPDATE_STATUSES, { inputs: ids.map((id) => ({ id, status: 'RUNNING', progress: 0.5 })) }, user.agent);
    const updated = () => client.nexts('1').filter((value) => value.data.viewerTasksChanged.kind === 'UPDATED' && ids.includes(value.data.viewerTasksChanged.taskId));
    await eventually('the three updates', async () => updated().length === 3);

    const changes = client.nexts('1').map((value) => value.data.viewerTasksChanged).filter((change) => change.taskId !== probeId);
    expect(changes.map((change) => [change.kind, change.taskId, change.task.topic])).toEqual([
      ...ids.map((id, i) => ['CREATED', id, topics[i]]),
      ...ids.map((id, i) => ['UPDATED', id, topics[i]]),
    ]);
    client.close();
  });
});

describe('messageAdded and storyboardsChanged', () => {
  it("sends each message posted to the viewer's conversation, replays those after `since`, and refuses another user's", async () => {
    const [user, other] = await Promise.all([api.createUser(), api.createUser()]);
    const conversationId = (await gql(api, CREATE_CONVERSATION, {}, user)).data!.createConversation.id as string;
    const client = await RawClient.signedIn(url, user.token);
    client.subscribe('1', MESSAGE_ADDED, { id: conversationId });
    client.subscribe('2', MESSAGE_ADDED, { id: conversationId }); // same topic: one bus subscription serves both
    await untilListening(client, '1', () => gql(api, POST_MESSAGE, { id: conversationId, content: 'probe' }, user));
    const first = (await gql(api, POST_MESSAGE, { id: conversationId, content: 'hello' }, user)).data!.postMessage;
    const second = (await gql(api, POST_MESSAGE, { id: conversationId, content: 'again' }, user)).data!.postMessage;
    await client.waitFor((message) => message.id === '2' && message.payload?.data?.messageAdded?.id === second.id, 'the second message');
    expect(client.nexts('1').map((value) => value.data.messageAdded.content).slice(-2)).toEqual(['hello', 'again']);

    const resumed = await RawClient.signedIn(url, user.token);
    resumed.subscribe('1', MESSAGE_ADDED, { id: conversationId, since: first.version });
    const [replayed] = await resumed.nextsOf('1', 1);
    expect(replayed.data.messageAdded).toEqual({ id: second.id, role: 'USER', content: 'again', version: second.version });

    const stranger = await RawClient.signedIn(url, other.token);
    stranger.subscribe('1', MESSAGE_ADDED, { id: conversationId });
    expect(await errorCodes(stranger, '1')).toEqual(['NOT_FOUND']);
    for (const socket of [client, resumed, stranger]) socket.close();
  });

  it('sends the storyboards an agent adds to the task', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    const client = await RawClient.signedIn(url, user.token);
    client.subscribe('1', STORYBOARDS, { id: taskId });
    let n = 100;
    await untilListening(client, '1', () => gql(api, ADD_STORYBOARDS, { id: taskId, n: (n += 1) }, user.agent));
    const added = (await gql(api, ADD_STORYBOARDS, { id: taskId, n: 7 }, user.agent)).data!.addStoryboards[0];

    const value = await client.waitFor((message) => message.payload?.data?.storyboardsChanged?.id === added.id, 'the storyboard');
    expect(value.payload.data.storyboardsChanged).toEqual({ id: added.id, sequenceNumber: 7, version: added.version });
    client.close();
  });
});

describe('the graphql-ws connection', () => {
  it('closes with 4403 without a token or with an invalid one', async () => {
    const missing = await RawClient.open(url);
    missing.send({ type: 'connection_init', payload: {} });
    const invalid = await RawClient.open(url);
    invalid.send({ type: 'connection_init', payload: { authorization: 'Bearer not.a.token' } });

    expect((await missing.closed).code).toBe(4403);
    expect((await invalid.closed).code).toBe(4403);
  });

  it('closes with 4408 without connection_init in time, and with 4429 on a second one', async () => {
    const user = await api.createUser();
    const silent = await RawClient.open(url);
    const twice = await RawClient.signedIn(url, user.token);
    twice.send({ type: 'connection_init', payload: { authorization: `Bearer ${user.token}` } });

    expect((await silent.closed).code).toBe(4408);
    expect((await twice.closed).code).toBe(4429);
  });

  it('closes the socket with 4403 when the token expires', async () => {
    const user = await api.createUser();
    const shortLived = await api.tokens.sign(user.id, '2s');
    const client = await RawClient.signedIn(url, shortLived);

    expect(await client.closed).toEqual({ code: 4403, reason: 'Token expired' });
  });

  it('runs subscriptions only: a query is refused with BAD_REQUEST', async () => {
    const user = await api.createUser();
    const client = await RawClient.signedIn(url, user.token);
    client.subscribe('1', '{ viewer { id } }');

    expect(await errorCodes(client, '1')).toEqual(['BAD_REQUEST']);
    client.close();
  });

  it('refuses a subscription past SUBSCRIPTIONS_PER_CONNECTION with RATE_LIMITED', async () => {
    const user = await api.createUser();
    const client = await RawClient.signedIn(url, user.token);
    for (const id of ['1', '2', '3', '4']) client.subscribe(id, VIEWER_TASKS);

    expect(await errorCodes(client, '4')).toEqual(['RATE_LIMITED']);
    expect(client.messages.filter((message) => message.payload?.errors).map((message) => message.id)).toEqual(['4']);
    client.close();
  });

  it("refuses a viewer's subscription past SUBSCRIPTIONS_PER_VIEWER, counted across its sockets", async () => {
    const metrics = createMetrics();
    const limited = await api.startSibling({ SUBSCRIPTIONS_PER_VIEWER: '2' }, { metrics });
    try {
      const user = await limited.createUser();
      const limitedUrl = await wsUrlOf(limited);
      const first = await RawClient.signedIn(limitedUrl, user.token);
      first.subscribe('1', VIEWER_TASKS);
      first.subscribe('2', VIEWER_TASKS);
      await eventually('two subscriptions running', async () => (await gauge(metrics, 'viewerTasksChanged')) === 2);
      const second = await RawClient.signedIn(limitedUrl, user.token);
      second.subscribe('1', VIEWER_TASKS);

      expect(await errorCodes(second, '1')).toEqual(['RATE_LIMITED']);
      first.close();
      second.close();
    } finally {
      await limited.close();
    }
  });

  it('takes SUBSCRIBE_COST_POINTS from the viewer\'s rate-limit budget for each subscribe', async () => {
    const limited = await api.startSibling({ RATE_LIMIT_POINTS: '25', SUBSCRIBE_COST_POINTS: '10' });
    try {
      const user = await limited.createUser();
      const client = await RawClient.signedIn(await wsUrlOf(limited), user.token);
      for (const id of ['1', '2', '3']) client.subscribe(id, VIEWER_TASKS);

      expect(await errorCodes(client, '3')).toEqual(['RATE_LIMITED']);
      expect(client.messages.filter((message) => message.payload?.errors).map((message) => message.id)).toEqual(['3']);
      client.close();
    } finally {
      await limited.close();
    }
  });

  it('closes every socket with 1001 when the server shuts down', async () => {
    const sibling = await api.startSibling();
    const user = await sibling.createUser();
    const client = await RawClient.signedIn(await wsUrlOf(sibling), user.token);
    client.subscribe('1', VIEWER_TASKS);

    await sibling.close();

    expect(await client.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
  });
});
