import { randomUUID } from 'node:crypto';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { startTestApi, type NewTestUser, type TestApi } from '../helpers/test-api.js';

/**
 * graphql-jit (GRAPHQL_EXECUTOR=jit, the default) and graphql-js answer every
 * request the same: two instances over one database, one per executor, each
 * request sent to both and the whole HTTP answer compared (status, data,
 * errors with their codes, paths and locations).
 */
let jit: TestApi;
let graphqlJs: TestApi;
let user: NewTestUser;

beforeAll(async () => {
  // A small response budget, so that RESPONSE_TOO_LARGE is reachable with a few tasks.
  jit = await startTestApi({ CACHE_MODE: 'off', GRAPHQL_EXECUTOR: 'jit', RESPONSE_MAX_BYTES: '1024' });
  graphqlJs = await jit.startSibling({ GRAPHQL_EXECUTOR: 'graphql-js' });
  user = await jit.createUser();
  await createTaskTree(jit.db, user.id, { tasks: 6, scriptsPerTask: 2, storyboardsPerTask: 3, withMedia: true });
  await createConversations(jit.db, user.id, { conversations: 2, messagesPerConversation: 3 });
});
afterAll(async () => {
  await graphqlJs?.close();
  await jit?.close();
});

async function post(api: TestApi, body: unknown, token: string | undefined = user.agent.token, headers: Record<string, string> = {}) {
  const response = await api.server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    payload: JSON.stringify(body),
  });
  return { status: response.statusCode, body: JSON.parse(response.body) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] } };
}

/** Sends `body` to both executors and answers the one answer they must share. */
async function both(body: unknown, token?: string) {
  const [a, b] = [await post(jit, body, token), await post(graphqlJs, body, token)];
  expect(a).toEqual(b);
  return a;
}

const TREE = `query Tree($first: Int!) {
  tasks(first: $first) {
    edges { cursor node { id topic status progress createdAt } }
    nodes { id latestScript { id version title } scripts { id version }
      storyboards(first: 2) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id sequenceNumber firstFrameImage { id url width height } video { id durationSeconds } } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('the compiled executor and graphql-js', () => {
  it('answer a task tree with its cursors alike', async () => {
    const answer = await both({ query: TREE, variables: { first: 4 } });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it('answer a missing task with the same null', async () => {
    const answer = await both({ query: 'query ($id: ID!) { task(id: $id) { id topic } }', variables: { id: randomUUID() } });
    expect(answer.body).toEqual({ data: { task: null } });
  });

  it('answer a refused argument with the same code and path, nulling up to the nearest nullable field', async () => {
    const answer = await both({ query: '{ a: tasks(first: 1) { nodes { id } } b: tasks(after: "nope") { nodes { id } } }' });
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    // Query.tasks is non-null: the error nulls the whole data, in both.
    expect(answer.body.data).toBeNull();
  });

  it('answer variables of the wrong type with the same BAD_USER_INPUT and HTTP 400', async () => {
    const answer = await both({ query: 'query ($first: Int) { tasks(first: $first) { nodes { id } } }', variables: { first: 'ten' } });
    expect([answer.status, answer.body.errors?.map((error) => error.extensions?.code)]).toEqual([400, ['BAD_USER_INPUT']]);
  });

  it('answer an input that fails validation alike', async () => {
    const answer = await both({ query: 'mutation ($input: CreateTaskInput!) { createTask(input: $input) { id } }', variables: { input: { topic: 'nul \u0000 byte' } } });
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('answer an anonymous request with the same UNAUTHENTICATED', async () => {
    const answer = await both({ query: '{ tasks { nodes { id } } }' }, '');
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('answer a response over its budget with the same RESPONSE_TOO_LARGE', async () => {
    const query = `{ tasks(first: 6) { nodes { id options } } conversations(first: 2) { nodes { messages(last: 3) { nodes { content } } } } }`;
    // Each task's options are a few dozen bytes: twenty copies of six pass the 1,024 bytes.
    const wide = `{ ${Array.from({ length: 20 }, (_, i) => `t${i}: tasks(first: 6) { nodes { options } }`).join(' ')} }`;
    await both({ query });
    const answer = await both({ query: wide });
    expect([answer.status, answer.body.errors?.map((error) => error.extensions?.code)]).toEqual([400, ['RESPONSE_TOO_LARGE']]);
  });

  it('answer an unknown operation name alike', async () => {
    const answer = await both({ query: 'query A { tasks { nodes { id } } }', operationName: 'B' });
    expect(answer.status).toBe(400);
  });

  it('answer the second operation of a document when it is the one named', async () => {
    const answer = await both({ query: 'query A { tasks(first: 1) { nodes { id } } } query B { tasks(first: 2) { nodes { id } } }', operationName: 'B' });
    expect((answer.body.data as { tasks: { nodes: unknown[] } }).tasks.nodes).toHaveLength(2);
  });

  it('send the same statements for the task tree', async () => {
    // Sorted: the batches of one level run concurrently, and PostgreSQL may log them in either order.
    const sqlOf = async (api: TestApi) => (await api.recordSql(() => post(api, { query: TREE, variables: { first: 6 } }))).statements.sort();
    expect(await sqlOf(jit)).toEqual(await sqlOf(graphqlJs));
  });
});

describe('compression of answers', () => {
  const large = { query: TREE, variables: { first: 6 } };

  it('sends a large answer in brotli or gzip, as the client prefers, and the same JSON', async () => {
    const plain = await jit.server.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${user.agent.token}` }, payload: JSON.stringify(large) });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1_024);
    for (const [accept, encoding, decode] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
      ['br;q=0.5, gzip;q=0.9', 'gzip', gunzipSync],
    ] as const) {
      const response = await jit.server.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.agent.token}`, 'accept-encoding': accept },
        payload: JSON.stringify(large),
      });
      expect([response.headers['content-encoding'], response.headers.vary], accept).toEqual([encoding, 'accept-encoding']);
      expect(JSON.parse(decode(response.rawPayload).toString('utf8'))).toEqual(JSON.parse(plain.body));
    }
  });

  it('sends a small answer as it is, whatever the client accepts', async () => {
    const response = await jit.server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.agent.token}`, 'accept-encoding': 'gzip, br' },
      payload: JSON.stringify({ query: '{ tasks(first: 1) { nodes { id } } }' }),
    });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(response.body)).toMatchObject({ data: { tasks: { nodes: [{ id: expect.any(String) }] } } });
  });
});
