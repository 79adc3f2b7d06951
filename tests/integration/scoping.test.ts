import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ScopingAddResourcesDocument,
  ScopingAddScriptDocument,
  ScopingAddStoryboardsDocument,
  ScopingCancelTaskDocument,
  ScopingConversationDocument,
  ScopingCreateConversationDocument,
  ScopingDeleteTaskDocument,
  ScopingListsDocument,
  ScopingPostMessageDocument,
  ScopingResourceDocument,
  ScopingScriptDocument,
  ScopingSetStoryboardMediaDocument,
  ScopingStoryboardDocument,
  ScopingTaskDocument,
  ScopingUpdateTaskStatusDocument,
  ScopingUpdateTasksStatusDocument,
} from '../generated/graphql.js';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { startTestApi, type GraphQLResponse, type NewTestUser, type TestApi, type TestUser } from '../helpers/test-api.js';

let api: TestApi;
let alice: TestUser;
let bob: NewTestUser;
/** Alice's first task and what hangs off it: the ids Bob tries. */
let alicesIds: Targets;
/** A conversation of Alice's that names Bob's task (only possible by writing the row directly). */
let alicesConversationOnBobsTask: string;

/** One of each kind of row a query or mutation can name by id. */
interface Targets {
  readonly taskId: string;
  readonly secondTaskId: string;
  readonly scriptId: string;
  readonly storyboardId: string;
  readonly imageId: string;
  readonly videoId: string;
  readonly conversationId: string;
}

/** Two pending tasks with scripts, storyboards and media, and conversations about the first. */
async function createTargets(userId: string): Promise<Targets> {
  const shape = { tasks: 2, scriptsPerTask: 2, storyboardsPerTask: 3, withMedia: true };
  const [taskId, secondTaskId] = await createTaskTree(api.db, userId, shape);
  const [conversationId] = await createConversations(api.db, userId, { conversations: 2, messagesPerConversation: 3, taskId });
  const idOf = (query: { executeTakeFirstOrThrow(): Promise<{ id: string }> }) => query.executeTakeFirstOrThrow().then((row) => row.id);
  const resourceOfKind = (kind: 'image' | 'video') =>
    idOf(api.db.selectFrom('resources').select('id').where('taskId', '=', taskId!).where('kind', '=', kind).orderBy('id').limit(1));
  return {
    taskId: taskId!,
    secondTaskId: secondTaskId!,
    scriptId: await idOf(api.db.selectFrom('scripts').select('id').where('taskId', '=', taskId!).orderBy('version', 'desc').limit(1)),
    storyboardId: await idOf(
      api.db.selectFrom('storyboards').select('id').where('taskId', '=', taskId!).orderBy('sequenceNumber').limit(1),
    ),
    imageId: await resourceOfKind('image'),
    videoId: await resourceOfKind('video'),
    conversationId: conversationId!,
  };
}

/** Fresh UUIDs that name no row: what a "missing id" looks like. */
const missingTargets = (): Targets => ({
  taskId: randomUUID(),
  secondTaskId: randomUUID(),
  scriptId: randomUUID(),
  storyboardId: randomUUID(),
  imageId: randomUUID(),
  videoId: randomUUID(),
  conversationId: randomUUID(),
});

const TABLES = ['users', 'tasks', 'idempotency_keys', 'scripts', 'resources', 'storyboards', 'conversations', 'messages'] as const;

/** Every row of every table, in a stable order: equal snapshots mean nothing was written. */
async function snapshotDatabase(): Promise<Record<string, string[]>> {
  const entries = await Promise.all(
    TABLES.map(async (table) => {
      const result = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.table(table)} as t`.execute(api.db);
      return [table, result.rows.map((r) => r.row).sort()] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The response with the given ids replaced by their names, so that two responses about different ids compare. */
function withIdsNamed(response: GraphQLResponse<unknown>, ids: Targets): unknown {
  let text = JSON.stringify({ status: response.status, data: response.data, errors: response.errors });
  for (const [name, id] of Object.entries(ids)) text = text.replaceAll(id, `<${name}>`);
  return JSON.parse(text);
}

const codesOf = (response: GraphQLResponse<unknown>) => response.errors?.map((error) => error.extensions?.code);

type Send = <TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) => Promise<GraphQLResponse<TData>>;

/** Bob's calls with one of his two tokens: neither reaches past his own data. */
const sendAs =
  (as: () => TestUser): Send =>
  (document, variables) =>
    api.execute(document, variables, { as: as() });
const BOBS_TOKENS = [
  { token: 'his user token', send: sendAs(() => bob) },
  { token: 'his agent token', send: sendAs(() => bob.agent) },
];
const asBobsAgent = sendAs(() => bob.agent);

beforeAll(async () => {
  api = await startTestApi();
  alice = await api.createUser('Alice');
  bob = await api.createUser('Bob');
  alicesIds = await createTargets(alice.id);
  await createConversations(api.db, alice.id, { conversations: 2, messagesPerConversation: 2 });
  const bobsIds = await createTargets(bob.id);
  await createConversations(api.db, bob.id, { conversations: 2, messagesPerConversation: 2 });
  const onBobsTask = { conversations: 1, messagesPerConversation: 1, taskId: bobsIds.taskId };
  [alicesConversationOnBobsTask] = (await createConversations(api.db, alice.id, onBobsTask)) as [string];
});
afterAll(() => api.close());

describe('lists', () => {
  async function idsOwnedBy(userId: string) {
    const tasks = await api.db.selectFrom('tasks').select('id').where('userId', '=', userId).execute();
    const conversations = await api.db.selectFrom('conversations').select('id').where('userId', '=', userId).execute();
    return { tasks: tasks.map((r) => r.id).sort(), conversations: conversations.map((r) => r.id).sort() };
  }

  it.each([
    ['Alice', () => alice],
    ['Bob', () => bob],
  ])('show %s only their own tasks and conversations, none of the other user’s', async (_name, user) => {
    const owned = await idsOwnedBy(user().id);
    expect(owned.tasks.length).toBeLessThan(100);

    const result = await api.execute(ScopingListsDocument, {}, { as: user() });

    expect(result.errors).toBeUndefined();
    const lists = result.data!;
    const ids = (nodes: readonly { id: string }[]) => nodes.map((node) => node.id).sort();
    expect(ids(lists.tasks.nodes)).toEqual(owned.tasks);
    expect(ids(lists.viewer.tasks.nodes)).toEqual(owned.tasks);
    expect(ids(lists.conversations.nodes)).toEqual(owned.conversations);
    expect(ids(lists.viewer.conversations.nodes)).toEqual(owned.conversations);
    expect(lists.viewer.id).toBe(user().id);
    // Task.conversations: only the viewer's, even where another user's conversation names the viewer's task.
    for (const conversation of lists.tasks.nodes.flatMap((task) => task.conversations)) {
      expect(owned.conversations).toContain(conversation.id);
    }
  });

  it('leaves Alice’s conversation out of Bob’s task even though it names that task', async () => {
    const result = await api.execute(ScopingListsDocument, {}, { as: bob });

    expect(result.errors).toBeUndefined();
    const listed = result.data!.tasks.nodes.flatMap((task) => task.conversations.map((c) => c.id));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed).not.toContain(alicesConversationOnBobsTask);
  });
});

/**
 * Each call names one row by id. Bob sends it with `target` = Alice's ids, then
 * with ids that name nothing, then with ids of his own (the control that shows
 * the call itself is well-formed). `own` is a tree of Bob's for calls that mix
 * his ids with the target's.
 */
interface ScopedCall {
  readonly name: string;
  readonly call: (send: Send, target: Targets, own: Targets) => Promise<GraphQLResponse<unknown>>;
  /** A user token is refused it whatever the ids (FORBIDDEN, scopes.test.ts): only the agent token is tried. */
  readonly agentOnly?: true;
  /** The control's target is `own` itself (media must be of the storyboard's task), not another tree of Bob's. */
  readonly controlOnOwnTree?: true;
  /** A nullable query by id: it answers null without an error, where a mutation answers NOT_FOUND. */
  readonly read?: true;
}

const scopedCalls: ScopedCall[] = [
  { name: 'Query.task', call: (send, t) => send(ScopingTaskDocument, { id: t.taskId }), read: true },
  { name: 'Query.script', call: (send, t) => send(ScopingScriptDocument, { id: t.scriptId }), read: true },
  { name: 'Query.storyboard', call: (send, t) => send(ScopingStoryboardDocument, { id: t.storyboardId }), read: true },
  { name: 'Query.resource', call: (send, t) => send(ScopingResourceDocument, { id: t.imageId }), read: true },
  { name: 'Query.conversation', call: (send, t) => send(ScopingConversationDocument, { id: t.conversationId }), read: true },
  {
    name: 'Mutation.updateTaskStatus',
    agentOnly: true,
    call: (send, t) => send(ScopingUpdateTaskStatusDocument, { input: { id: t.taskId, status: 'RUNNING', progress: 0.5 } }),
  },
  {
    name: 'Mutation.updateTasksStatus, between two of Bob’s own tasks',
    agentOnly: true,
    call: (send, t, own) =>
      send(ScopingUpdateTasksStatusDocument, {
        inputs: [
          { id: own.taskId, status: 'RUNNING' },
          { id: t.taskId, status: 'RUNNING' },
          { id: own.secondTaskId, status: 'RUNNING' },
        ],
      }),
  },
  { name: 'Mutation.cancelTask', call: (send, t) => send(ScopingCancelTaskDocument, { id: t.taskId }) },
  { name: 'Mutation.deleteTask', call: (send, t) => send(ScopingDeleteTaskDocument, { id: t.taskId }) },
  {
    name: 'Mutation.addScript',
    agentOnly: true,
    call: (send, t) => send(ScopingAddScriptDocument, { input: { taskId: t.taskId, title: 'Taken over', content: 'New text' } }),
  },
  {
    name: 'Mutation.addStoryboards',
    agentOnly: true,
    call: (send, t) =>
      send(ScopingAddStoryboardsDocument, {
        taskId: t.taskId,
        inputs: [{ sequenceNumber: 10, description: 'Extra cut', prompt: 'A prompt', durationSeconds: 4 }],
      }),
  },
  {
    name: 'Mutation.addResources',
    agentOnly: true,
    call: (send, t) =>
      send(ScopingAddResourcesDocument, {
        taskId: t.taskId,
        inputs: [{ kind: 'IMAGE', url: 'https://cdn.test/extra.png', mimeType: 'image/png', width: 640, height: 360 }],
      }),
  },
  {
    name: 'Mutation.setStoryboardMedia on the target’s storyboard',
    agentOnly: true,
    call: (send, t) =>
      send(ScopingSetStoryboardMediaDocument, {
        input: { storyboardId: t.storyboardId, firstFrameImageId: t.imageId, videoId: t.videoId },
      }),
  },
  {
    name: 'Mutation.setStoryboardMedia of Bob’s storyboard to the target’s image',
    agentOnly: true,
    call: (send, t, own) => send(ScopingSetStoryboardMediaDocument, { input: { storyboardId: own.storyboardId, firstFrameImageId: t.imageId } }),
    controlOnOwnTree: true,
  },
  {
    name: 'Mutation.setStoryboardMedia of Bob’s storyboard to the target’s video',
    agentOnly: true,
    call: (send, t, own) => send(ScopingSetStoryboardMediaDocument, { input: { storyboardId: own.storyboardId, videoId: t.videoId } }),
    controlOnOwnTree: true,
  },
  {
    name: 'Mutation.createConversation with a taskId',
    call: (send, t) => send(ScopingCreateConversationDocument, { input: { title: 'About your task', taskId: t.taskId } }),
  },
  {
    name: 'Mutation.postMessage',
    call: (send, t) => send(ScopingPostMessageDocument, { input: { conversationId: t.conversationId, role: 'USER', content: 'Hello' } }),
  },
];

describe('a call with another user’s id', () => {
  const sentence = '$name, with $token, answers Bob for Alice’s id exactly as for a missing id (a query null, a mutation NOT_FOUND), and writes nothing';
  const cases = scopedCalls.flatMap((scoped) =>
    BOBS_TOKENS.filter(({ token }) => !scoped.agentOnly || token === 'his agent token').map(({ token, send }) => ({ ...scoped, token, send })),
  );
  it.each(cases)(sentence, async ({ call, send, controlOnOwnTree, read }) => {
    const own = await createTargets(bob.id);
    const missing = missingTargets();
    const before = await snapshotDatabase();

    const foreign = await call(send, alicesIds, own);
    const absent = await call(send, missing, own);

    if (read) {
      expect(foreign.errors).toBeUndefined();
      expect(Object.values(foreign.data!)).toEqual([null]);
    } else {
      expect(codesOf(foreign)).toEqual(['NOT_FOUND']);
    }
    expect(withIdsNamed(foreign, alicesIds)).toEqual(withIdsNamed(absent, missing));
    expect(await snapshotDatabase()).toEqual(before);

    // The control: the same call with ids of Bob's own succeeds.
    const control = await call(send, controlOnOwnTree ? own : await createTargets(bob.id), own);
    expect(control.errors).toBeUndefined();
    expect(control.data).not.toBeNull();
    expect(Object.values(control.data!)).not.toContain(null);
  });

  it('rejects Bob’s whole updateTasksStatus batch when one id is Alice’s, naming its index', async () => {
    const own = await createTargets(bob.id);
    const before = await snapshotDatabase();

    const result = await asBobsAgent(ScopingUpdateTasksStatusDocument, {
      inputs: [
        { id: own.taskId, status: 'RUNNING' },
        { id: own.secondTaskId, status: 'CANCELLED' },
        { id: alicesIds.taskId, status: 'RUNNING' },
      ],
    });

    expect(result.data).toBeNull();
    expect(result.errors!.map((error) => error.extensions)).toEqual([{ code: 'NOT_FOUND', type: 'Task', id: alicesIds.taskId, index: 2 }]);
    expect(await snapshotDatabase()).toEqual(before);
    const ids = [own.taskId, own.secondTaskId, alicesIds.taskId];
    const statuses = await api.db.selectFrom('tasks').select('status').where('id', 'in', ids).execute();
    expect(statuses.map((row) => row.status)).toEqual(['pending', 'pending', 'pending']);
  });
});
