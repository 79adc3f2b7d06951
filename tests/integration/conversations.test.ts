import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConversationsByIdDocument,
  ConversationsCreateDocument,
  ConversationsListDocument,
  ConversationsMessageConversationDocument,
  ConversationsMessagePageDocument,
  ConversationsOfTaskDocument,
  ConversationsPostMessageDocument,
  ConversationsViewerListDocument,
  ConversationsW4Document,
  ConversationsInboxDocument,
  ConversationsMessageEdgesDocument,
  ConversationsMessagePositionDocument,
  type MessageRole,
} from '../generated/graphql.js';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { startTestApi, type GraphQLResponse, type TestApi, type TestUser } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  // Statement counts are a property of the uncached path: the cache's own suite covers the other.
  api = await startTestApi({ CACHE_MODE: 'off' });
});
afterAll(() => api.close());

const codesOf = (response: GraphQLResponse<unknown>) => response.errors?.map((error) => error.extensions?.code);
/** 'Message from' .. 'Message to', as the factory names them. */
const messageContents = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Message ${from + i}`);

/** A user with conversations, measured after the user's first (existence-checking) request. */
async function userWithConversations(shape: Parameters<typeof createConversations>[2]): Promise<{ user: TestUser; ids: string[] }> {
  const user = await api.createUser();
  const ids = await createConversations(api.db, user.id, shape);
  await api.execute(ConversationsListDocument, { first: 1 }, { as: user });
  return { user, ids };
}

/** The conversation's messages in the order the API pages them: (created_at, id). */
function messagesInOrder(conversationId: string) {
  return api.db
    .selectFrom('messages')
    .select(['id', 'content'])
    .where('conversationId', '=', conversationId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

const countRows = async (table: 'conversations' | 'messages') =>
  Number((await api.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

type MessagePage = NonNullable<Awaited<ReturnType<typeof messagePage>>['data']>['conversation'];
function messagePage(user: TestUser, id: string, args: { first?: number; after?: string; last?: number; before?: string }) {
  return api.execute(ConversationsMessagePageDocument, { id, ...args }, { as: user });
}

/** Follows the cursors to the end of the list, one page at a time; at most 50 pages. */
async function walk(user: TestUser, id: string, direction: 'forward' | 'backward', size: number) {
  const pages: NonNullable<MessagePage>['messages'][] = [];
  let cursor: string | undefined;
  for (let request = 0; request < 50; request++) {
    const args = direction === 'forward' ? { first: size, after: cursor } : { last: size, before: cursor };
    const response = await messagePage(user, id, args);
    expect(response.errors).toBeUndefined();
    const page = response.data!.conversation!.messages;
    pages.push(page);
    const more = direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    if (!more) return pages;
    cursor = (direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor) ?? undefined;
  }
  throw new Error('the walk did not reach the end of the list in 50 pages');
}

describe('the W4 conversation list', () => {
  /** Statements of `conversations(first: 20) { messages(last: 20) }` for a user with `count` conversations of 25 messages. */
  async function measureW4(count: number) {
    const { user } = await userWithConversations({ conversations: count, messagesPerConversation: 25 });
    const { result, statements } = await api.recordSql(() => api.execute(ConversationsW4Document, { first: 20, last: 20 }, { as: user }));
    return { result, statements };
  }

  it.each([5, 20])('answers %i conversations, each with its 20 newest messages oldest first', async (count) => {
    const { result } = await measureW4(count);

    expect(result.errors).toBeUndefined();
    const conversations = result.data!.conversations.nodes;
    expect(conversations.map((c) => c.title)).toEqual(Array.from({ length: count }, (_, i) => `Conversation ${i + 1}`));
    for (const conversation of conversations) {
      const { nodes, pageInfo } = conversation.messages;
      expect(nodes.map((m) => m.content)).toEqual(messageContents(6, 25));
      expect(nodes.map((m) => m.createdAt)).toEqual(nodes.map((m) => m.createdAt).sort());
      expect(pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    }
  });

  it('costs 2 statements for 5 conversations and the same 2 for 20', async () => {
    const five = await measureW4(5);
    const twenty = await measureW4(20);

    expect(five.result.errors).toBeUndefined();
    expect(twenty.result.errors).toBeUndefined();
    // The conversations page, then every conversation's message page in one LATERAL statement.
    expect(five.statements).toHaveLength(2);
    expect(twenty.statements).toHaveLength(2);
  });

  it('has no previous page of messages when a conversation holds 20 or fewer', async () => {
    const { user } = await userWithConversations({ conversations: 2, messagesPerConversation: 20 });

    const result = await api.execute(ConversationsW4Document, { first: 20, last: 20 }, { as: user });

    expect(result.errors).toBeUndefined();
    for (const conversation of result.data!.conversations.nodes) {
      expect(conversation.messages.nodes.map((m) => m.content)).toEqual(messageContents(1, 20));
      expect(conversation.messages.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
    }
  });
});

describe('Conversation.messages', () => {
  it('walks back from the newest with last and before, every message once', async () => {
    const { user, ids } = await userWithConversations({ conversations: 1, messagesPerConversation: 25 });

    const pages = await walk(user, ids[0]!, 'backward', 7);

    expect(pages.map((page) => page.nodes.map((m) => m.content))).toEqual([
      messageContents(19, 25),
      messageContents(12, 18),
      messageContents(5, 11),
      messageContents(1, 4),
    ]);
    expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual([true, true, true, false]);
    // Every page read with a `before` cursor has the rows after it as its next page.
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([false, true, true, true]);
    expect(pages.reverse().flatMap((page) => page.nodes.map((m) => m.id))).toEqual((await messagesInOrder(ids[0]!)).map((m) => m.id));
  });

  it('walks forward from the oldest with first and after, every message once', async () => {
    const { user, ids } = await userWithConversations({ conversations: 1, messagesPerConversation: 25 });

    const pages = await walk(user, ids[0]!, 'forward', 7);

    expect(pages.map((page) => page.nodes.map((m) => m.content))).toEqual([
      messageContents(1, 7),
      messageContents(8, 14),
      messageContents(15, 21),
      messageContents(22, 25),
    ]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, true, false]);
    expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual([false, true, true, true]);
    expect(pages.flatMap((page) => page.nodes.map((m) => m.id))).toEqual((await messagesInOrder(ids[0]!)).map((m) => m.id));
  });

  it.each(['forward', 'backward'] as const)('pages %s through messages that share one created_at, by id', async (direction) => {
    const { user, ids } = await userWithConversations({ conversations: 1, messagesPerConversation: 10, spreadMs: 0 });
    const expected = await messagesInOrder(ids[0]!);
    const times = await api.db.selectFrom('messages').select('createdAt').where('conversationId', '=', ids[0]!).execute();
    expect(new Set(times.map((m) => m.createdAt.getTime())).size).toBe(1);

    const pages = await walk(user, ids[0]!, direction, 4);

    expect(pages.map((page) => page.nodes.length)).toEqual([4, 4, 2]);
    const walked = (direction === 'forward' ? pages : pages.reverse()).flatMap((page) => page.nodes.map((m) => m.id));
    expect(walked).toEqual(expected.map((m) => m.id));
  });

  it('takes the cursor of any edge as after or before', async () => {
    const { user, ids } = await userWithConversations({ conversations: 1, messagesPerConversation: 10 });
    const firstFive = (await messagePage(user, ids[0]!, { first: 5 })).data!.conversation!.messages;

    const beforeFifth = await messagePage(user, ids[0]!, { last: 3, before: firstFive.pageInfo.endCursor! });
    const afterSecond = await messagePage(user, ids[0]!, { first: 2, after: firstFive.edges[1]!.cursor });

    expect(firstFive.edges.map((edge) => edge.node.id)).toEqual(firstFive.nodes.map((m) => m.id));
    expect(beforeFifth.data!.conversation!.messages.nodes.map((m) => m.content)).toEqual(messageContents(2, 4));
    expect(afterSecond.data!.conversation!.messages.nodes.map((m) => m.content)).toEqual(messageContents(3, 4));
  });

  it('refuses first and last together with BAD_USER_INPUT', async () => {
    const { user, ids } = await userWithConversations({ conversations: 1, messagesPerConversation: 3 });

    const result = await messagePage(user, ids[0]!, { first: 2, last: 2 });

    expect(result.data).toEqual({ conversation: null });
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.path).toEqual(['conversation', 'messages']);
  });

  it('refuses last: 101 with PAGE_TOO_LARGE', async () => {
    const { user, ids } = await userWithConversations({ conversations: 1, messagesPerConversation: 3 });

    const result = await messagePage(user, ids[0]!, { last: 101 });

    expect(result.data).toEqual({ conversation: null });
    expect(result.errors!.map((error) => error.extensions)).toEqual([{ code: 'PAGE_TOO_LARGE', max: 100 }]);
  });

  it('answers the conversation of each message as Message.conversation', async () => {
    const { user, ids } = await userWithConversations({ conversations: 1, messagesPerConversation: 3 });

    const result = await api.execute(ConversationsMessageConversationDocument, { id: ids[0]!, last: 3 }, { as: user });

    expect(result.errors).toBeUndefined();
    expect(result.data!.conversation!.messages.nodes.map((m) => m.conversation)).toEqual(
      Array.from({ length: 3 }, () => ({ id: ids[0], title: 'Conversation 1' })),
    );
  });
});

describe('the conversation lists', () => {
  it('pages Query.conversations newest first, walking with after', async () => {
    const { user } = await userWithConversations({ conversations: 7, messagesPerConversation: 0 });
    const pages = [];
    let after: string | undefined;
    for (let request = 0; request < 10; request++) {
      const result = await api.execute(ConversationsListDocument, { first: 3, after }, { as: user });
      expect(result.errors).toBeUndefined();
      pages.push(result.data!.conversations);
      if (!result.data!.conversations.pageInfo.hasNextPage) break;
      after = result.data!.conversations.pageInfo.endCursor ?? undefined;
    }

    expect(pages.map((page) => page.nodes.map((c) => c.title))).toEqual([
      ['Conversation 1', 'Conversation 2', 'Conversation 3'],
      ['Conversation 4', 'Conversation 5', 'Conversation 6'],
      ['Conversation 7'],
    ]);
    expect(pages.map((page) => [page.pageInfo.hasPreviousPage, page.pageInfo.hasNextPage])).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
    const createdAt = pages.flatMap((page) => page.nodes.map((c) => c.createdAt));
    expect(createdAt).toEqual([...createdAt].sort().reverse());
  });

  it('answers viewer.conversations exactly like Query.conversations', async () => {
    const { user } = await userWithConversations({ conversations: 5, messagesPerConversation: 0 });
    const firstPage = await api.execute(ConversationsListDocument, { first: 2 }, { as: user });
    const after = firstPage.data!.conversations.pageInfo.endCursor!;

    for (const args of [{ first: 2 }, { first: 2, after }, {}]) {
      const query = await api.execute(ConversationsListDocument, args, { as: user });
      const viewer = await api.execute(ConversationsViewerListDocument, args, { as: user });
      expect(query.errors).toBeUndefined();
      expect(viewer.errors).toBeUndefined();
      expect(viewer.data!.viewer.conversations).toEqual(query.data!.conversations);
    }
  });

  it('answers Conversation.task, and null for a conversation about no task', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    const [aboutTask] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 0, taskId });
    const [aboutNothing] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 0 });

    const withTask = await api.execute(ConversationsByIdDocument, { id: aboutTask! }, { as: user });
    const withoutTask = await api.execute(ConversationsByIdDocument, { id: aboutNothing! }, { as: user });

    expect(withTask.errors).toBeUndefined();
    expect(withTask.data!.conversation!.task).toEqual({ id: taskId, topic: 'Topic 1' });
    expect(withoutTask.errors).toBeUndefined();
    expect(withoutTask.data!.conversation!.task).toBeNull();
  });

  it('lists Task.conversations newest first, only those about the task', async () => {
    const user = await api.createUser();
    const [taskId, otherTaskId] = await createTaskTree(api.db, user.id, { tasks: 2 });
    const aboutTask = await createConversations(api.db, user.id, { conversations: 2, messagesPerConversation: 0, taskId });
    await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 0, taskId: otherTaskId });
    await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 0 });

    const result = await api.execute(ConversationsOfTaskDocument, { taskId: taskId! }, { as: user });

    expect(result.errors).toBeUndefined();
    expect(result.data!.task!.conversations).toEqual([
      { id: aboutTask[0], title: 'Conversation 1', task: { id: taskId } },
      { id: aboutTask[1], title: 'Conversation 2', task: { id: taskId } },
    ]);
  });
});

describe('createConversation', () => {
  it('starts a conversation about no task', async () => {
    const user = await api.createUser();

    const result = await api.execute(ConversationsCreateDocument, { input: { title: 'Ideas' } }, { as: user });

    expect(result.errors).toBeUndefined();
    const created = result.data!.createConversation;
    expect(created).toMatchObject({ title: 'Ideas', task: null });
    expect(created.updatedAt).toBe(created.createdAt);
    const row = await api.db.selectFrom('conversations').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ userId: user.id, taskId: null, title: 'Ideas' });
  });

  it('starts a conversation about one of the viewer’s tasks', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });

    const result = await api.execute(ConversationsCreateDocument, { input: { title: 'About the task', taskId } }, { as: user });

    expect(result.errors).toBeUndefined();
    expect(result.data!.createConversation).toMatchObject({ title: 'About the task', task: { id: taskId } });
    const id = result.data!.createConversation.id;
    const row = await api.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ userId: user.id, taskId, title: 'About the task' });
  });

  it('answers NOT_FOUND for another user’s task and writes nothing', async () => {
    const owner = await api.createUser();
    const [taskId] = await createTaskTree(api.db, owner.id, { tasks: 1 });
    const user = await api.createUser();
    const before = await countRows('conversations');

    const result = await api.execute(ConversationsCreateDocument, { input: { title: 'Not mine', taskId } }, { as: user });

    expect(result.data).toBeNull();
    expect(codesOf(result)).toEqual(['NOT_FOUND']);
    expect(await countRows('conversations')).toBe(before);
  });

  it('refuses an empty title with BAD_USER_INPUT and writes nothing', async () => {
    const user = await api.createUser();
    const before = await countRows('conversations');

    const result = await api.execute(ConversationsCreateDocument, { input: { title: '' } }, { as: user });

    expect(result.data).toBeNull();
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(await countRows('conversations')).toBe(before);
  });
});

describe('postMessage', () => {
  /** A conversation of 3 messages, last updated an hour ago. */
  async function conversationOf(user: TestUser): Promise<{ id: string; updatedAt: Date }> {
    const [id] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 3 });
    const row = await sql<{ updatedAt: Date }>`
      update conversations set updated_at = now() - interval '1 hour' where id = ${id} returning updated_at`.execute(api.db);
    return { id: id!, updatedAt: row.rows[0]!.updatedAt };
  }

  const snapshotOf = (conversationId: string) =>
    Promise.all([
      api.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow(),
      messagesInOrder(conversationId),
    ]);

  it('appends the message as the newest and moves the conversation’s updatedAt to its time', async () => {
    const user = await api.createUser();
    const conversation = await conversationOf(user);

    const posted = await api.execute(
      ConversationsPostMessageDocument,
      { input: { conversationId: conversation.id, role: 'USER', content: 'Make it shorter' } },
      { as: user },
    );
    const newest = await messagePage(user, conversation.id, { last: 1 });

    expect(posted.errors).toBeUndefined();
    const message = posted.data!.postMessage;
    expect(message).toMatchObject({ role: 'USER', content: 'Make it shorter', conversation: { id: conversation.id } });
    // The message is stamped with the conversation's new updated_at, in the same statement.
    expect(message.conversation.updatedAt).toBe(message.createdAt);
    expect(new Date(message.conversation.updatedAt).getTime()).toBeGreaterThan(conversation.updatedAt.getTime());
    expect(newest.data!.conversation!.messages.nodes).toEqual([
      { id: message.id, role: 'USER', content: 'Make it shorter', createdAt: message.createdAt },
    ]);
    expect(newest.data!.conversation!.messages.pageInfo.hasPreviousPage).toBe(true);
    expect((await messagesInOrder(conversation.id)).map((m) => m.content)).toEqual([...messageContents(1, 3), 'Make it shorter']);
  });

  it('answers NOT_FOUND for another user’s conversation and writes nothing', async () => {
    const owner = await api.createUser();
    const conversation = await conversationOf(owner);
    const before = await snapshotOf(conversation.id);
    const user = await api.createUser();

    const result = await api.execute(
      ConversationsPostMessageDocument,
      { input: { conversationId: conversation.id, role: 'USER', content: 'Hello' } },
      { as: user },
    );

    expect(result.data).toBeNull();
    expect(codesOf(result)).toEqual(['NOT_FOUND']);
    expect(await snapshotOf(conversation.id)).toEqual(before);
  });

  it('refuses empty content with BAD_USER_INPUT and writes nothing', async () => {
    const user = await api.createUser();
    const conversation = await conversationOf(user);
    const before = await snapshotOf(conversation.id);

    const result = await api.execute(
      ConversationsPostMessageDocument,
      { input: { conversationId: conversation.id, role: 'USER', content: '' } },
      { as: user },
    );

    expect(result.data).toBeNull();
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(await snapshotOf(conversation.id)).toEqual(before);
  });

  it('refuses a role outside MessageRole before execution, with BAD_USER_INPUT and HTTP 400', async () => {
    const user = await api.createUser();
    const conversation = await conversationOf(user);
    const before = await snapshotOf(conversation.id);

    const result = await api.execute(
      ConversationsPostMessageDocument,
      { input: { conversationId: conversation.id, role: 'NARRATOR' as MessageRole, content: 'Hello' } },
      { as: user },
    );

    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(await snapshotOf(conversation.id)).toEqual(before);
  });
});

describe('a message page reads what the query asks of it', () => {
  /** The message page statements sent while `fn` ran, with their parameters. */
  async function messagePageStatements<T>(fn: () => Promise<T>) {
    const sent: { sql: string; parameters: readonly unknown[] }[] = [];
    const unsubscribe = api.tracker.subscribe((event) => sent.push({ sql: event.sql, parameters: event.parameters }));
    try {
      const result = await fn();
      return { result, pages: sent.filter((statement) => /from "messages" as child/.test(statement.sql)) };
    } finally {
      unsubscribe();
    }
  }
  const readsIds = (sql: string) => /"child"\."id" as "id"/.test(sql);

  it('reads an inbox (contents, no ids, cursors or pageInfo) without ids and without the row past each page', async () => {
    const { user, ids } = await userWithConversations({ conversations: 3, messagesPerConversation: 25 });

    const { result, pages } = await messagePageStatements(() => api.execute(ConversationsInboxDocument, { first: 20, last: 20 }, { as: user }));

    expect(result.errors).toBeUndefined();
    expect(pages).toHaveLength(1);
    expect(readsIds(pages[0]!.sql)).toBe(false);
    // The page sizes: 20 per conversation, not 21.
    expect(pages[0]!.parameters[1]).toEqual([20, 20, 20]);
    const answered = new Map(result.data!.conversations.nodes.map((c) => [c.id, c.messages.nodes]));
    for (const id of ids) {
      const stored = await api.db
        .selectFrom('messages')
        .select(['role', 'content', 'createdAt'])
        .where('conversationId', '=', id)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      expect(answered.get(id)).toEqual(
        stored.slice(-20).map((row) => ({ role: row.role.toUpperCase(), content: row.content, createdAt: row.createdAt.toISOString() })),
      );
    }
  });

  it('reads ids for cursors, and a cursor pages on from there', async () => {
    const { user, ids } = await userWithConversations({ conversations: 1, messagesPerConversation: 25 });

    const { result, pages } = await messagePageStatements(() => api.execute(ConversationsMessageEdgesDocument, { id: ids[0]!, last: 10 }, { as: user }));

    expect(result.errors).toBeUndefined();
    expect(readsIds(pages[0]!.sql)).toBe(true);
    const edges = result.data!.conversation!.messages.edges;
    expect(edges.map((edge) => edge.node.content)).toEqual(messageContents(16, 25));
    const before = await api.execute(ConversationsMessageEdgesDocument, { id: ids[0]!, last: 10, before: edges[0]!.cursor }, { as: user });
    expect(before.data!.conversation!.messages.edges.map((edge) => edge.node.content)).toEqual(messageContents(6, 15));
  });

  it.each([
    [25, true],
    [20, false],
  ])('reads the row past the page for hasPreviousPage: %i messages, hasPreviousPage %s', async (messages, hasPreviousPage) => {
    const { user, ids } = await userWithConversations({ conversations: 1, messagesPerConversation: messages });

    const { result, pages } = await messagePageStatements(() => api.execute(ConversationsMessagePositionDocument, { id: ids[0]!, last: 20 }, { as: user }));

    expect(result.errors).toBeUndefined();
    expect(pages[0]!.parameters[1]).toEqual([21]);
    expect(readsIds(pages[0]!.sql)).toBe(false);
    expect(result.data!.conversation!.messages.pageInfo.hasPreviousPage).toBe(hasPreviousPage);
    expect(result.data!.conversation!.messages.nodes.map((node) => node.content)).toEqual(messageContents(messages - 19, messages));
  });
});
