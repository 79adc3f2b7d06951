import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMessage } from '../../src/conversations/conversation.repository.js';
import {
  ActivityConversationsDocument,
  ActivityMessagesAfterDocument,
  ActivityPostDocument,
  ActivityTasksAfterDocument,
  ActivityTwoMessagePagesDocument,
  ActivityViewerConversationsDocument,
  type ConversationOrder,
} from '../generated/graphql.js';
import { backendKind } from '../helpers/backend.js';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { errorCodesOf as codesOf, startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  // With the cache on: a post must also retire the cached lists it reorders.
  api = await startTestApi();
});
afterAll(() => api.close());


/** The titles of the viewer's conversations in the order the API lists them. */
async function titles(user: TestUser, orderBy?: ConversationOrder): Promise<string[]> {
  const response = await api.execute(ActivityConversationsDocument, { orderBy }, { as: user });
  expect(response.errors).toBeUndefined();
  return response.data!.conversations.nodes.map((conversation) => conversation.title);
}

const post = (user: TestUser, conversationId: string, content: string) =>
  api.execute(ActivityPostDocument, { input: { conversationId, role: 'USER', content } }, { as: user });

/** A cursor as the API makes them, carrying any instant (ms since the epoch). */
const forgedCursor = (kind: string, ms: number, id: string) => Buffer.from(JSON.stringify([kind, ms, id])).toString('base64url');

describe('the order of Query.conversations', () => {
  it('lists the newest activity first, and a posted message moves its conversation to the top', async () => {
    const user = await api.createUser();
    await createConversations(api.db, user.id, { conversations: 3, messagesPerConversation: 0 });
    const [, , oldest] = await api.db.selectFrom('conversations').select('id').where('userId', '=', user.id).orderBy('createdAt', 'desc').execute();
    expect(await titles(user)).toEqual(['Conversation 1', 'Conversation 2', 'Conversation 3']);

    expect((await post(user, oldest!.id, 'Still there?')).errors).toBeUndefined();

    expect(await titles(user)).toEqual(['Conversation 3', 'Conversation 1', 'Conversation 2']);
    expect(await titles(user, 'UPDATED_AT_DESC')).toEqual(['Conversation 3', 'Conversation 1', 'Conversation 2']);
    // Creation order stays on offer, and viewer.conversations takes the same argument.
    expect(await titles(user, 'CREATED_AT_DESC')).toEqual(['Conversation 1', 'Conversation 2', 'Conversation 3']);
    const viewer = await api.execute(ActivityViewerConversationsDocument, {}, { as: user });
    expect(viewer.data!.viewer.conversations.nodes.map((c) => c.id)[0]).toBe(oldest!.id);
  });

  it('pages the activity order with after, each conversation once, ties broken by id', async () => {
    const user = await api.createUser();
    const ids = await createConversations(api.db, user.id, { conversations: 7, messagesPerConversation: 0 });
    // Activity in the reverse of creation, with conversations 3 and 4 active at the same instant.
    await sql`update conversations set updated_at = now() - make_interval(secs => 10 - substr(title, 14)::int)
              where user_id = ${user.id}`.execute(api.db);
    await sql`update conversations set updated_at = (select updated_at from conversations where title = 'Conversation 3' and user_id = ${user.id})
              where title = 'Conversation 4' and user_id = ${user.id}`.execute(api.db);
    const expected = await api.db
      .selectFrom('conversations')
      .select('id')
      .where('userId', '=', user.id)
      .orderBy('updatedAt', 'desc')
      .orderBy('id', 'desc')
      .execute();

    const seen: string[] = [];
    let after: string | undefined;
    for (let request = 0; request < 10; request++) {
      const page = await api.execute(ActivityConversationsDocument, { first: 3, after }, { as: user });
      expect(page.errors).toBeUndefined();
      seen.push(...page.data!.conversations.nodes.map((c) => c.id));
      if (!page.data!.conversations.pageInfo.hasNextPage) break;
      after = page.data!.conversations.pageInfo.endCursor!;
    }

    expect(seen).toEqual(expected.map((row) => row.id));
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('refuses a cursor of the creation order in the activity order, naming the argument', async () => {
    const user = await api.createUser();
    await createConversations(api.db, user.id, { conversations: 3, messagesPerConversation: 0 });
    const byCreation = await api.execute(ActivityConversationsDocument, { first: 1, orderBy: 'CREATED_AT_DESC' }, { as: user });

    const replayed = await api.execute(ActivityConversationsDocument, { after: byCreation.data!.conversations.pageInfo.endCursor }, { as: user });

    expect(codesOf(replayed)).toEqual(['BAD_USER_INPUT']);
    expect(replayed.errors![0]!.extensions).toMatchObject({ argument: 'after' });
  });
});

describe('the stamps of messages', () => {
  it('stamps each message after the last one of its conversation, even when the clock is behind it', async () => {
    const user = await api.createUser();
    const [id] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 0 });
    // The conversation's last stamp an hour ahead: as if this server's clock were behind another's.
    const ahead = await sql<{ updatedAt: Date }>`
      update conversations set updated_at = now() + interval '1 hour' where id = ${id} returning updated_at`.execute(api.db);
    const last = ahead.rows[0]!.updatedAt.getTime();

    const posted = [];
    for (const content of ['one', 'two', 'three']) posted.push((await post(user, id!, content)).data!.postMessage);

    expect(posted.map((message) => new Date(message.createdAt).getTime() - last)).toEqual([1, 2, 3]);
    expect(posted.map((message) => message.conversation.updatedAt)).toEqual(posted.map((message) => message.createdAt));
  });

  it('stamps messages posted back to back in strictly increasing order', async () => {
    const user = await api.createUser();
    const [id] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 0 });

    const stamps: number[] = [];
    for (let i = 0; i < 10; i++) stamps.push(new Date((await post(user, id!, `Message ${i}`)).data!.postMessage.createdAt).getTime());

    expect(stamps.slice(1).every((stamp, i) => stamp > stamps[i]!)).toBe(true);
  });

  // Two sessions are needed: PGlite has one, so a second transaction would wait for the first.
  it.runIf(backendKind() === 'postgres')(
    'shows a client polling forward a message whose transaction began earlier but committed later (PostgreSQL only: PGlite has one session)',
    async () => {
      const user = await api.createUser();
      const [id] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 1 });
      const start = await api.execute(ActivityMessagesAfterDocument, { id: id! }, { as: user });
      const startCursor = start.data!.conversation!.messages.pageInfo.endCursor!;

      let began!: () => void;
      let release!: () => void;
      const transactionBegan = new Promise<void>((resolve) => (began = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      // The early transaction: its now() is fixed here, before the other post.
      const early = api.db.transaction().execute(async (trx) => {
        await sql`select now()`.execute(trx);
        began();
        await released;
        return insertMessage(trx, user.id, { conversationId: id!, role: 'assistant', content: 'begun first, committed last' });
      });
      await transactionBegan;
      await sleep(20);
      const late = await post(user, id!, 'begun last, committed first');
      const firstPoll = await api.execute(ActivityMessagesAfterDocument, { id: id!, after: startCursor }, { as: user });
      release();
      const earlyMessage = await early;
      const secondPoll = await api.execute(
        ActivityMessagesAfterDocument,
        { id: id!, after: firstPoll.data!.conversation!.messages.pageInfo.endCursor },
        { as: user },
      );

      expect(firstPoll.data!.conversation!.messages.nodes.map((m) => m.id)).toEqual([late.data!.postMessage.id]);
      expect(secondPoll.data!.conversation!.messages.nodes.map((m) => m.id)).toEqual([earlyMessage!.id]);
    },
  );
});

describe('a cursor carrying an instant PostgreSQL cannot take', () => {
  const outOfRange = [
    ['year -10000', Date.parse('-010000-01-01T00:00:00.000Z')],
    ['year 0', Date.parse('0000-06-01T00:00:00.000Z')],
    ['year 10000', Date.parse('+010000-01-01T00:00:00.000Z')],
    ['year 300000', 300_000 * 365.25 * 86_400_000],
  ] as const;

  it.each(outOfRange)('at %s is its own field’s BAD_USER_INPUT naming after, and the batch’s other page still answers', async (_name, ms) => {
    const user = await api.createUser();
    const [a, b] = await createConversations(api.db, user.id, { conversations: 2, messagesPerConversation: 3 });

    const response = await api.execute(ActivityTwoMessagePagesDocument, { a: a!, aAfter: forgedCursor('message', ms, a!), b: b! }, { as: user });

    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.path).toEqual(['a', 'messages']);
    expect(response.errors![0]!.extensions).toMatchObject({ argument: 'after' });
    // messages is non-null, so the error nulls its conversation, and only it.
    expect(response.data!.a).toBeNull();
    expect(response.data!.b!.messages.nodes).toHaveLength(2);
  });

  it('names before when the cursor is a before', async () => {
    const user = await api.createUser();
    const [a, b] = await createConversations(api.db, user.id, { conversations: 2, messagesPerConversation: 3 });

    const response = await api.execute(
      ActivityTwoMessagePagesDocument,
      { a: a!, aBefore: forgedCursor('message', Date.parse('-010000-01-01T00:00:00.000Z'), a!), b: b! },
      { as: user },
    );

    expect(response.errors!.map((error) => [error.path, error.extensions?.code, error.extensions?.argument])).toEqual([
      [['a', 'older'], 'BAD_USER_INPUT', 'before'],
    ]);
    expect(response.data!.b!.messages.nodes).toHaveLength(2);
  });

  it.each(outOfRange)('at %s is BAD_USER_INPUT naming after in Query.tasks and Query.conversations', async (_name, ms) => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });

    const tasks = await api.execute(ActivityTasksAfterDocument, { after: forgedCursor('task', ms, taskId!) }, { as: user });
    const conversations = await api.execute(ActivityConversationsDocument, { after: forgedCursor('conversation-by-activity', ms, taskId!) }, { as: user });

    for (const response of [tasks, conversations]) {
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions).toMatchObject({ argument: 'after' });
    }
  });

  it('takes cursors at the first and the last instant of the range', async () => {
    const user = await api.createUser();
    const [a, b] = await createConversations(api.db, user.id, { conversations: 2, messagesPerConversation: 3 });

    const earliest = await api.execute(ActivityTwoMessagePagesDocument, { a: a!, aAfter: forgedCursor('message', Date.parse('0001-01-01T00:00:00.000Z'), a!), b: b! }, { as: user });
    const latest = await api.execute(ActivityTasksAfterDocument, { after: forgedCursor('task', Date.parse('9999-12-31T23:59:59.999Z'), a!) }, { as: user });

    expect(earliest.errors).toBeUndefined();
    expect(earliest.data!.a!.messages.nodes).toHaveLength(2);
    expect(latest.errors).toBeUndefined();
  });
});
