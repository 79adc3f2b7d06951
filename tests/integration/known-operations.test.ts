import { randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { scrapeMetrics } from '../helpers/metrics-scrape.js';
import { startTestApi, type NewTestUser, type TestApi } from '../helpers/test-api.js';

/**
 * The known-operation lane (src/http/known-operation-lane.ts) runs an
 * operation Apollo has resolved before without Apollo's pipeline. Its answers
 * must be Apollo's, byte for byte: each request goes to the jit instance twice
 * (the first time Apollo runs it and learns it, the second time the lane runs
 * it, which its metric proves) and once to an instance where Apollo runs
 * everything (GRAPHQL_EXECUTOR=graphql-js, no lane); status, content type,
 * other headers and the body text must all agree.
 */
let lean: TestApi;
let apolloOnly: TestApi;
let user: NewTestUser;

beforeAll(async () => {
  // A small response budget, so that RESPONSE_TOO_LARGE is reachable; a small cost limit, for QUERY_TOO_COMPLEX.
  lean = await startTestApi({ CACHE_MODE: 'off', GRAPHQL_EXECUTOR: 'jit', RESPONSE_MAX_BYTES: '1024', QUERY_MAX_COST: '5000' });
  apolloOnly = await lean.startSibling({ GRAPHQL_EXECUTOR: 'graphql-js' });
  user = await lean.createUser();
  await createTaskTree(lean.db, user.id, { tasks: 6, scriptsPerTask: 2, storyboardsPerTask: 3, withMedia: true });
  await createConversations(lean.db, user.id, { conversations: 2, messagesPerConversation: 3 });
});
afterAll(async () => {
  await apolloOnly?.close();
  await lean?.close();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: string;
}

/** Headers that differ between any two answers (the request id, the date, the connection). */
const PER_ANSWER_HEADERS = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

async function post(api: TestApi, body: unknown, headers: Record<string, string | undefined> = {}): Promise<Answer> {
  const sent = Object.fromEntries(Object.entries({ 'content-type': 'application/json', authorization: `Bearer ${user.agent.token}`, ...headers }).filter(([, v]) => v !== undefined));
  const response = await api.server.app.inject({ method: 'POST', url: '/graphql', headers: sent as Record<string, string>, payload: JSON.stringify(body) });
  const kept = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !PER_ANSWER_HEADERS.has(name)));
  // A compressed answer is compared by the text it holds (brotli and gzip are deterministic at one setting anyway).
  const encoding = response.headers['content-encoding'];
  const text = encoding === 'gzip' ? gunzipSync(response.rawPayload).toString() : encoding === 'br' ? brotliDecompressSync(response.rawPayload).toString() : response.body;
  return { status: response.statusCode, headers: kept, body: text };
}

const laneRuns = async (api: TestApi) => (await scrapeMetrics(api)).sum('graphql_known_operation_requests_total');

/**
 * Sends `body` to Apollo alone, then twice to the jit instance; answers Apollo's
 * answer, once the three are shown equal, and whether the lane ran the last one.
 */
async function threeWays(
  body: unknown,
  headers?: Record<string, string | undefined>,
  normalise: (text: string) => string = (text) => text,
  { jit, apolloAlone }: { jit: TestApi; apolloAlone: TestApi } = { jit: lean, apolloAlone: apolloOnly },
) {
  const apollo = await post(apolloAlone, body, headers);
  await post(jit, body, headers);
  const before = await laneRuns(jit);
  const second = await post(jit, body, headers);
  const ranInLane = (await laneRuns(jit)) - before === 1;
  expect({ ...second, body: normalise(second.body) }).toEqual({ ...apollo, body: normalise(apollo.body) });
  return { ...apollo, ranInLane };
}

const TREE = `query Tree($first: Int!) {
  tasks(first: $first) {
    edges { cursor node { id topic status progress createdAt } }
    nodes { id latestScript { id version title } scripts { id version }
      storyboards(first: 2) { nodes { id sequenceNumber firstFrameImage { id url width height } video { id durationSeconds } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('the known-operation lane answers as Apollo does', () => {
  it('a task tree', async () => {
    const answer = await threeWays({ query: TREE, variables: { first: 3 } });
    expect([answer.status, answer.ranInLane, answer.headers['content-type']]).toEqual([200, true, 'application/json; charset=utf-8']);
    expect(JSON.parse(answer.body).data.tasks.nodes).toHaveLength(3);
  });

  it('the same operation with other variables, and with its name', async () => {
    const answer = await threeWays({ query: TREE, variables: { first: 2 }, operationName: 'Tree' });
    expect([answer.status, answer.ranInLane]).toEqual([200, true]);
    expect(JSON.parse(answer.body).data.tasks.nodes).toHaveLength(2);
  });

  it('a task that does not exist, as null', async () => {
    const answer = await threeWays({ query: 'query ($id: ID!) { task(id: $id) { id } }', variables: { id: randomUUID() } });
    expect([answer.body, answer.ranInLane]).toEqual(['{"data":{"task":null}}\n', true]);
  });

  it('an argument a resolver refuses, with its code, path and locations', async () => {
    const answer = await threeWays({ query: '{ a: tasks(first: 1) { nodes { id } } b: tasks(after: "nope") { nodes { id } } }' });
    const body = JSON.parse(answer.body);
    expect([answer.status, answer.ranInLane, body.data, body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)]).toEqual([200, true, null, ['BAD_USER_INPUT']]);
    expect(body.errors[0]).toMatchObject({ path: ['b'], locations: [{ line: 1, column: 39 }] });
  });

  it('an anonymous request: UNAUTHENTICATED and the HTTP 401 its error carries', async () => {
    const answer = await threeWays({ query: '{ tasks { nodes { id } } }' }, { authorization: undefined });
    expect([answer.status, answer.ranInLane, JSON.parse(answer.body).errors[0].extensions.code]).toEqual([401, true, 'UNAUTHENTICATED']);
  });

  it('a response over its budget: RESPONSE_TOO_LARGE alone, HTTP 400', async () => {
    const wide = `{ ${Array.from({ length: 20 }, (_, i) => `t${i}: tasks(first: 6) { nodes { options } }`).join(' ')} }`;
    const answer = await threeWays({ query: wide });
    expect([answer.status, answer.ranInLane, JSON.parse(answer.body).errors.map((e: { extensions: { code: string } }) => e.extensions.code)]).toEqual([400, true, ['RESPONSE_TOO_LARGE']]);
  });

  it('the answer type a client prefers', async () => {
    const answer = await threeWays({ query: TREE, variables: { first: 1 } }, { accept: 'application/graphql-response+json, application/json;q=0.9' });
    expect([answer.status, answer.ranInLane, answer.headers['content-type']]).toEqual([200, true, 'application/graphql-response+json; charset=utf-8']);
  });

  it('a mutation that fails: NOT_FOUND, nothing written', async () => {
    const answer = await threeWays({ query: 'mutation ($id: ID!) { cancelTask(id: $id) { id } }', variables: { id: randomUUID() } });
    expect([answer.ranInLane, JSON.parse(answer.body).errors[0].extensions.code]).toEqual([true, 'NOT_FOUND']);
  });

  it('a mutation that succeeds, with the same shape (ids and instants aside)', async () => {
    const createTask = { query: 'mutation ($input: CreateTaskInput!) { createTask(input: $input) { id topic status version createdAt } }', variables: { input: { topic: 'lane' } } };
    const newValues = (text: string) =>
      text.replace(/"id":"[^"]+"/, '"id":"<id>"').replace(/"version":"[^"]+"/, '"version":"<version>"').replace(/"createdAt":"[^"]+"/, '"createdAt":"<instant>"');
    const answer = await threeWays(createTask, {}, newValues);
    expect([answer.status, answer.ranInLane, newValues(answer.body)]).toEqual([
      200,
      true,
      '{"data":{"createTask":{"id":"<id>","topic":"lane","status":"PENDING","version":"<version>","createdAt":"<instant>"}}}\n',
    ]);
  });
});

describe('what the known-operation lane leaves to Apollo, which answers it', () => {
  it('variables of the wrong type: BAD_USER_INPUT, HTTP 400', async () => {
    const answer = await threeWays({ query: 'query ($first: Int) { tasks(first: $first) { nodes { id } } }', variables: { first: 'ten' } });
    expect([answer.status, answer.ranInLane]).toEqual([400, false]);
  });

  it('an operation over the cost limit: QUERY_TOO_COMPLEX, HTTP 400', async () => {
    const query = 'query ($first: Int!) { tasks(first: $first) { nodes { id scripts { id } storyboards(first: 50) { nodes { id video { id } } } } } }';
    await threeWays({ query, variables: { first: 1 } });
    const answer = await threeWays({ query, variables: { first: 100 } });
    expect([answer.status, answer.ranInLane, JSON.parse(answer.body).errors[0].extensions.code]).toEqual([400, false, 'QUERY_TOO_COMPLEX']);
  });

  it('a token that is not valid', async () => {
    const answer = await threeWays({ query: '{ tasks { nodes { id } } }' }, { authorization: 'Bearer not-a-token' });
    expect([answer.status, answer.ranInLane]).toEqual([401, false]);
  });

  it('an Accept header that allows no JSON: HTTP 406', async () => {
    const answer = await threeWays({ query: TREE, variables: { first: 1 } }, { accept: 'text/html' });
    expect([answer.status, answer.ranInLane]).toEqual([406, false]);
  });

  it('a request with extensions', async () => {
    const answer = await threeWays({ query: TREE, variables: { first: 1 }, extensions: {} });
    expect([answer.status, answer.ranInLane]).toEqual([200, false]);
  });

  it('a name the document does not hold', async () => {
    const answer = await threeWays({ query: TREE, variables: { first: 1 }, operationName: 'Other' });
    expect([answer.status, answer.ranInLane]).toEqual([400, false]);
  });
});

describe('a large answer, which leaves as bytes or compressed (src/http/compression.ts), is Apollo\'s too', () => {
  let jit: TestApi;
  let apolloAlone: TestApi;
  beforeAll(async () => {
    jit = await lean.startSibling({ RESPONSE_MAX_BYTES: '1000000' });
    apolloAlone = await lean.startSibling({ RESPONSE_MAX_BYTES: '1000000', GRAPHQL_EXECUTOR: 'graphql-js' });
  });
  afterAll(async () => {
    await apolloAlone?.close();
    await jit?.close();
  });

  it.each([
    ['uncompressed', undefined, undefined],
    ['gzip', 'gzip', 'gzip'],
    ['brotli', 'br, gzip', 'br'],
  ])('%s', async (_name, acceptEncoding, contentEncoding) => {
    const answer = await threeWays({ query: TREE, variables: { first: 6 } }, { 'accept-encoding': acceptEncoding }, undefined, { jit, apolloAlone });
    expect([answer.status, answer.ranInLane, answer.headers['content-encoding']]).toEqual([200, true, contentEncoding]);
    expect(answer.body.length).toBeGreaterThan(2_000);
    expect(answer.body.endsWith('}\n')).toBe(true);
    expect(JSON.parse(answer.body).data.tasks.nodes).toHaveLength(6);
  });
});
