import { sql } from 'kysely';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HardeningAddResourcesDocument,
  HardeningAddScriptDocument,
  HardeningAddStoryboardsDocument,
  HardeningCancelTaskDocument,
  HardeningCreateConversationDocument,
  HardeningCreateTaskDocument,
  HardeningCreateTasksDocument,
  HardeningDeleteTaskDocument,
  HardeningPostMessageDocument,
  HardeningSetStoryboardMediaDocument,
  HardeningUpdateTaskStatusDocument,
  HardeningUpdateTasksStatusDocument,
  ScopingConversationDocument,
  ScopingListsDocument,
  ScopingTaskDocument,
  ScopingViewerDocument,
  type MessageRole,
} from '../generated/graphql.js';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { startTestApi, type GraphQLResponse, type NewTestUser, type TestApi, type TestUser } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

/** A RUNNING task with a script, a storyboard and its media, a second RUNNING task, and a conversation. */
interface Targets {
  readonly taskId: string;
  readonly secondTaskId: string;
  readonly storyboardId: string;
  readonly conversationId: string;
}

/** A new user with rows to write to, past the first request (which also checks that the user exists). */
async function userWithTargets(): Promise<{ user: NewTestUser; targets: Targets }> {
  const user = await api.createUser();
  const [taskId, secondTaskId] = await createTaskTree(api.db, user.id, { tasks: 2, scriptsPerTask: 1, storyboardsPerTask: 1, withMedia: true, status: 'running' });
  const [conversationId] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 1, taskId });
  const storyboard = await api.db.selectFrom('storyboards').select('id').where('taskId', '=', taskId!).executeTakeFirstOrThrow();
  expect((await api.execute(ScopingViewerDocument, {}, { as: user })).errors).toBeUndefined();
  return { user, targets: { taskId: taskId!, secondTaskId: secondTaskId!, storyboardId: storyboard.id, conversationId: conversationId! } };
}

const TABLES = ['tasks', 'idempotency_keys', 'scripts', 'storyboards', 'resources', 'conversations', 'messages'] as const;

/** Every row of the tables a write can touch: equal snapshots mean nothing was written. */
async function snapshot(): Promise<Record<string, string[]>> {
  const entries = await Promise.all(
    TABLES.map(async (table) => {
      const { rows } = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.table(table)} as t`.execute(api.db);
      return [table, rows.map((r) => r.row).sort()] as const;
    }),
  );
  return Object.fromEntries(entries);
}

interface Write {
  readonly name: string;
  readonly send: (as: TestUser, t: Targets) => Promise<GraphQLResponse<unknown>>;
}

const postAs = (role: MessageRole) => (as: TestUser, t: Targets) =>
  api.execute(HardeningPostMessageDocument, { input: { conversationId: t.conversationId, role, content: `Said as ${role}` } }, { as });

/** The writes of the agent's workers: an agent token only. */
const agentWrites: Write[] = [
  {
    name: 'updateTaskStatus',
    send: (as, t) => api.execute(HardeningUpdateTaskStatusDocument, { input: { id: t.taskId, status: 'RUNNING', progress: 0.5 } }, { as }),
  },
  {
    name: 'updateTaskStatus to COMPLETED',
    send: (as, t) => api.execute(HardeningUpdateTaskStatusDocument, { input: { id: t.taskId, status: 'COMPLETED', progress: 1 } }, { as }),
  },
  {
    name: 'updateTasksStatus',
    send: (as, t) =>
      api.execute(HardeningUpdateTasksStatusDocument, { inputs: [{ id: t.taskId, status: 'RUNNING', progress: 0.5 }, { id: t.secondTaskId, status: 'FAILED', error: 'Out of credits' }] }, { as }),
  },
  { name: 'addScript', send: (as, t) => api.execute(HardeningAddScriptDocument, { input: { taskId: t.taskId, title: 'Draft 2', content: 'Text' } }, { as }) },
  {
    name: 'addStoryboards',
    send: (as, t) =>
      api.execute(HardeningAddStoryboardsDocument, { taskId: t.taskId, inputs: [{ sequenceNumber: 9, description: 'A cut', prompt: 'A prompt', durationSeconds: 4 }] }, { as }),
  },
  {
    name: 'addResources',
    send: (as, t) => api.execute(HardeningAddResourcesDocument, { taskId: t.taskId, inputs: [{ kind: 'IMAGE', url: 'https://cdn.test/frame.png', mimeType: 'image/png' }] }, { as }),
  },
  {
    name: 'setStoryboardMedia',
    send: (as, t) => api.execute(HardeningSetStoryboardMediaDocument, { input: { storyboardId: t.storyboardId, firstFrameImageId: null, videoId: null } }, { as }),
  },
  { name: 'postMessage as ASSISTANT', send: postAs('ASSISTANT') },
  { name: 'postMessage as SYSTEM', send: postAs('SYSTEM') },
  { name: 'postMessage as TOOL', send: postAs('TOOL') },
];

/** What a frontend does: any token. */
const userWrites: Write[] = [
  { name: 'createTask', send: (as) => api.execute(HardeningCreateTaskDocument, { input: { topic: 'Volcanoes' } }, { as }) },
  { name: 'createTasks', send: (as) => api.execute(HardeningCreateTasksDocument, { inputs: [{ topic: 'Tides' }], idempotencyKey: 'scopes-1' }, { as }) },
  { name: 'cancelTask', send: (as, t) => api.execute(HardeningCancelTaskDocument, { id: t.taskId }, { as }) },
  { name: 'deleteTask', send: (as, t) => api.execute(HardeningDeleteTaskDocument, { id: t.taskId }, { as }) },
  { name: 'createConversation', send: (as, t) => api.execute(HardeningCreateConversationDocument, { input: { title: 'About it', taskId: t.taskId } }, { as }) },
  { name: 'postMessage as USER', send: postAs('USER') },
];

describe('a user token', () => {
  it.each(agentWrites)('is refused $name with FORBIDDEN naming the agent scope, before any SQL, and nothing is written', async ({ send }) => {
    const { user, targets } = await userWithTargets();
    const before = await snapshot();

    const { result, statements } = await api.recordSql(() => send(user, targets));

    expect(result.data).toBeNull();
    expect(result.errors?.map((error) => error.extensions)).toEqual([{ code: 'FORBIDDEN', requiredScope: 'agent' }]);
    expect(statements).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('is refused before its arguments are looked at: a malformed input answers FORBIDDEN too', async () => {
    const { user, targets } = await userWithTargets();

    const result = await api.execute(HardeningUpdateTaskStatusDocument, { input: { id: targets.taskId, status: 'RUNNING', progress: 7 } }, { as: user });

    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it.each(userWrites)('may $name, and the write is made', async ({ send }) => {
    const { user, targets } = await userWithTargets();
    const before = await snapshot();

    const result = await send(user, targets);

    expect(result.errors).toBeUndefined();
    expect(await snapshot()).not.toEqual(before);
  });

  it("reads all of its user's data, the agent's writes included", async () => {
    const { user, targets } = await userWithTargets();
    expect((await postAs('ASSISTANT')(user.agent, targets)).errors).toBeUndefined();

    const task = await api.execute(ScopingTaskDocument, { id: targets.taskId }, { as: user });
    const conversation = await api.execute(ScopingConversationDocument, { id: targets.conversationId }, { as: user });
    const lists = await api.execute(ScopingListsDocument, {}, { as: user });

    expect(task.errors ?? conversation.errors ?? lists.errors).toBeUndefined();
    expect(task.data!.task!.id).toBe(targets.taskId);
    expect(conversation.data!.conversation!.messages.nodes.map((m) => m.content)).toContain('Said as ASSISTANT');
    expect(lists.data!.tasks.nodes.map((t) => t.id).sort()).toEqual([targets.taskId, targets.secondTaskId].sort());
  });
});

describe('an agent token', () => {
  it.each([...agentWrites, ...userWrites])('may $name, and the write is made', async ({ send }) => {
    const { user, targets } = await userWithTargets();
    const before = await snapshot();

    const result = await send(user.agent, targets);

    expect(result.errors).toBeUndefined();
    expect(await snapshot()).not.toEqual(before);
  });
});

describe('tokens of one user, each with its own scopes', () => {
  it('keeps each token to its scopes when both are used in turn (the server remembers verified tokens by their text)', async () => {
    const { user, targets } = await userWithTargets();
    const raise = (as: TestUser, progress: number) =>
      api.execute(HardeningUpdateTaskStatusDocument, { input: { id: targets.taskId, status: 'RUNNING', progress } }, { as });

    const codes = [];
    for (const [as, progress] of [[user.agent, 0.2], [user, 0.3], [user.agent, 0.4], [user, 0.5]] as const) {
      codes.push((await raise(as, progress)).errors?.map((error) => error.extensions?.code) ?? 'ok');
    }

    expect(codes).toEqual(['ok', ['FORBIDDEN'], 'ok', ['FORBIDDEN']]);
    const task = await api.db.selectFrom('tasks').select('progress').where('id', '=', targets.taskId).executeTakeFirstOrThrow();
    expect(Number(task.progress)).toBeCloseTo(0.4, 6);
  });

  it('treats a token with a scope this server does not know as a user token', async () => {
    const { user, targets } = await userWithTargets();
    const key = new TextEncoder().encode(api.config.jwtSecret!);
    const token = await new SignJWT({ scope: 'admin agents' }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setExpirationTime('1h').sign(key);

    const result = await postAs('SYSTEM')({ ...user, token }, targets);

    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
