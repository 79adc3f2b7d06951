import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findScriptContentsByIds } from '../../src/scripts/script.repository.js';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

// Issue 10, item 3: every list is paged, and a response carries at most RESPONSE_MAX_BYTES of large values.
const CEILING = 64 * 1024;
let api: TestApi;
beforeAll(async () => {
  // Statement counts are a property of the uncached path.
  api = await startTestApi({ CACHE_MODE: 'off', RESPONSE_MAX_BYTES: String(CEILING) });
});
afterAll(() => api.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const doc = (text: string) => parse(text) as TypedDocumentNode<any, Record<string, unknown>>;
const send = (user: TestUser, text: string, variables: Record<string, unknown> = {}) => api.execute(doc(text), variables, { as: user });
const codeOf = (answer: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => answer.errors?.[0]?.extensions?.code;

async function addScripts(taskId: string, contents: readonly string[]): Promise<string[]> {
  const result = await sql<{ id: string }>`
    insert into scripts (task_id, version, title, content)
    select ${taskId}::uuid, v, 'v' || v, c from unnest(${[...contents]}::text[]) with ordinality as s(c, v)
    returning id`.execute(api.db);
  return result.rows.map((row) => row.id);
}

describe('the lists under a task take a page size', () => {
  it('answers the newest 10 script versions by default, first of them when asked, and refuses more than 100', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, scriptsPerTask: 12 });
    const versions = async (args: string) => (await send(user, `query ($id: ID!) { task(id: $id) { scripts${args} { version } } }`, { id: taskId }));

    expect((await versions('')).data.task.scripts.map((s: { version: number }) => s.version)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect((await versions('(first: 2)')).data.task.scripts.map((s: { version: number }) => s.version)).toEqual([12, 11]);
    expect(codeOf(await versions('(first: 101)'))).toBe('PAGE_TOO_LARGE');
    expect(codeOf(await versions('(first: -1)'))).toBe('BAD_USER_INPUT');
  });

  it('answers the oldest 100 resources by default, of one kind when asked, and refuses more than 100', async () => {
    const user = await api.createUser();
    // 53 storyboards, each with an image and a video: 106 resources.
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, storyboardsPerTask: 53, withMedia: true });
    const resources = (args: string) => send(user, `query ($id: ID!) { task(id: $id) { resources${args} { kind } } }`, { id: taskId });

    expect((await resources('')).data.task.resources).toHaveLength(100);
    expect((await resources('(kind: VIDEO, first: 3)')).data.task.resources).toEqual([{ kind: 'VIDEO' }, { kind: 'VIDEO' }, { kind: 'VIDEO' }]);
    expect(codeOf(await resources('(first: 101)'))).toBe('PAGE_TOO_LARGE');
  });

  it('answers the newest 20 conversations of a task by default, and refuses more than 100', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    await createConversations(api.db, user.id, { conversations: 23, messagesPerConversation: 0, taskId: taskId! });
    const conversations = (args: string) => send(user, `query ($id: ID!) { task(id: $id) { conversations${args} { title } } }`, { id: taskId });

    expect((await conversations('')).data.task.conversations).toHaveLength(20);
    expect((await conversations('(first: 2)')).data.task.conversations).toEqual([{ title: 'Conversation 1' }, { title: 'Conversation 2' }]);
    expect(codeOf(await conversations('(first: 101)'))).toBe('PAGE_TOO_LARGE');
  });

  it.each([5, 20])('costs the same statements for %i tasks: one per list, each paged per task', async (taskCount) => {
    const user = await api.createUser();
    const taskIds = await createTaskTree(api.db, user.id, { tasks: taskCount, scriptsPerTask: 4, storyboardsPerTask: 3, withMedia: true });
    for (const taskId of taskIds) await createConversations(api.db, user.id, { conversations: 3, messagesPerConversation: 0, taskId });
    const query = `{ tasks(first: ${taskCount}) { nodes { scripts(first: 2) { version } resources(first: 2) { id } conversations(first: 2) { id } } } }`;
    await send(user, '{ viewer { id } }');

    const { result, statements } = await api.recordSql(() => send(user, query));

    expect(result.errors).toBeUndefined();
    for (const task of result.data.tasks.nodes) {
      expect(task.scripts.map((s: { version: number }) => s.version)).toEqual([4, 3]);
      expect(task.resources).toHaveLength(2);
      expect(task.conversations).toHaveLength(2);
    }
    // The tasks page, then one statement per list.
    expect(statements).toHaveLength(4);
  });
});

describe('a response carries at most RESPONSE_MAX_BYTES of large values', () => {
  const text = (kilobytes: number) => 's'.repeat(kilobytes * 1024);

  it('answers script contents that fit, and RESPONSE_TOO_LARGE (HTTP 400, no data) for those that do not', async () => {
    const user = await api.createUser();
    const [small, large] = await createTaskTree(api.db, user.id, { tasks: 2, scriptsPerTask: 0 });
    await addScripts(small!, [text(30), text(30)]);
    await addScripts(large!, [text(30), text(30), text(30)]);
    const contents = `query ($id: ID!) { task(id: $id) { scripts { content } } }`;

    const fits = await send(user, contents, { id: small });
    expect(fits.errors).toBeUndefined();
    expect(fits.data.task.scripts).toHaveLength(2);

    const refused = await send(user, contents, { id: large });
    expect(refused.status).toBe(400);
    expect(refused.data).toBeUndefined();
    expect(refused.errors).toEqual([{ message: expect.any(String), extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes: CEILING } }]);
  });

  it('never reads a script content past the ceiling from PostgreSQL: twenty 1 MB versions written under the old limit bring none', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, scriptsPerTask: 0 });
    // Written under the old limit of 1,000,000 characters, which stored rows may still hold.
    const ids = await addScripts(taskId!, Array.from({ length: 20 }, () => 'x'.repeat(1_000_000)));

    const rows = await findScriptContentsByIds(api.db, user.id, ids, CEILING);

    expect(rows).toHaveLength(20);
    expect(rows.every((row) => row.content === null)).toBe(true);
    const answer = await send(user, `query ($id: ID!) { task(id: $id) { scripts(first: 20) { content } } }`, { id: taskId });
    expect(codeOf(answer)).toBe('RESPONSE_TOO_LARGE');
  });

  it('reads contents in id order until the running total passes the budget', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, scriptsPerTask: 0 });
    const ids = (await addScripts(taskId!, [text(30), text(30), text(30)])).sort();

    const rows = (await findScriptContentsByIds(api.db, user.id, ids, CEILING)).sort((a, b) => a.id.localeCompare(b.id));

    expect(rows.map((row) => row.content?.length ?? null)).toEqual([30 * 1024, 30 * 1024, null]);
  });

  it('counts message contents and task options too', async () => {
    const user = await api.createUser();
    const [conversationId] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 3 });
    await sql`update messages set content = ${text(30)} where conversation_id = ${conversationId!}::uuid`.execute(api.db);
    const messages = await send(user, `query ($id: ID!) { conversation(id: $id) { messages { nodes { content } } } }`, { id: conversationId });
    expect(codeOf(messages)).toBe('RESPONSE_TOO_LARGE');
    const edges = await send(user, `query ($id: ID!) { conversation(id: $id) { messages { edges { node { content } } } } }`, { id: conversationId });
    expect(codeOf(edges)).toBe('RESPONSE_TOO_LARGE');
    // Charged as they are answered: the same messages without their contents are small.
    const roles = await send(user, `query ($id: ID!) { conversation(id: $id) { messages { nodes { role } } } }`, { id: conversationId });
    expect(codeOf(roles)).toBeUndefined();

    const taskIds = await createTaskTree(api.db, user.id, { tasks: 3 });
    await sql`update tasks set options = jsonb_build_object('blob', ${text(30)}::text) where id = any(${taskIds}::uuid[])`.execute(api.db);
    expect(codeOf(await send(user, '{ tasks(first: 2) { nodes { options } } }'))).toBeUndefined();
    expect(codeOf(await send(user, '{ tasks(first: 3) { nodes { options } } }'))).toBe('RESPONSE_TOO_LARGE');
  });
});
