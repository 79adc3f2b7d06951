import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { InjectOptions } from 'fastify';
import { print } from 'graphql';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssuer } from '../../src/auth/tokens.js';
import {
  HardeningAddResourcesDocument,
  HardeningAddScriptDocument,
  HardeningAddStoryboardsDocument,
  HardeningAliasedPagesDocument,
  HardeningAliases31Document,
  HardeningAliasesThroughFragmentsDocument,
  HardeningCancelTaskDocument,
  HardeningConversationDocument,
  HardeningCreateConversationDocument,
  HardeningCreateTaskDocument,
  HardeningCreateTasksDocument,
  HardeningDeleteTaskDocument,
  HardeningDepth13Document,
  HardeningDepth13ThroughFragmentsDocument,
  HardeningMessagesDocument,
  HardeningPagedStoryboardsDocument,
  HardeningPostMessageDocument,
  HardeningResourceDocument,
  HardeningScriptDocument,
  HardeningSetStoryboardMediaDocument,
  HardeningStoryboardDocument,
  HardeningStoryboardsDocument,
  HardeningTaskDocument,
  HardeningTasksDocument,
  HardeningTooExpensiveDocument,
  HardeningUpdateTaskStatusDocument,
  HardeningUpdateTasksStatusDocument,
  HardeningViewerDocument,
} from '../generated/graphql.js';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { startTestApi, type NewTestUser, type TestApi, type TestUser } from '../helpers/test-api.js';

/**
 * The bad-input corpus: what frontends, Sandbox users and batch clients will
 * send sooner or later. Each case states the HTTP status and the one
 * `extensions.code` its errors carry, and every table is compared before and
 * after it: nothing may be written, and nothing may answer 500.
 */
let api: TestApi;
let alice: NewTestUser;
let bob: TestUser;
/** Alice's own rows: the valid ids that bad arguments are sent with. */
let own: Rows;
/** Bob's rows: what Alice must not reach (null or NOT_FOUND, like a missing id). */
let bobs: Rows;

interface Rows {
  readonly taskId: string;
  readonly runningTaskId: string;
  readonly completedTaskId: string;
  readonly scriptId: string;
  readonly storyboardId: string;
  readonly imageId: string;
  readonly videoId: string;
  readonly conversationId: string;
}

async function createRows(user: TestUser): Promise<Rows> {
  const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, scriptsPerTask: 2, storyboardsPerTask: 2, withMedia: true });
  const [runningTaskId] = await createTaskTree(api.db, user.id, { tasks: 1, status: 'running' });
  const [completedTaskId] = await createTaskTree(api.db, user.id, { tasks: 1, status: 'completed' });
  const [conversationId] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 3, taskId });
  const first = <T extends { id: string }>(rows: T[]) => rows[0]!.id;
  const resource = (kind: 'image' | 'video') =>
    api.db.selectFrom('resources').select('id').where('taskId', '=', taskId!).where('kind', '=', kind).orderBy('id').limit(1).execute();
  return {
    taskId: taskId!,
    runningTaskId: runningTaskId!,
    completedTaskId: completedTaskId!,
    scriptId: first(await api.db.selectFrom('scripts').select('id').where('taskId', '=', taskId!).execute()),
    storyboardId: first(await api.db.selectFrom('storyboards').select('id').where('taskId', '=', taskId!).execute()),
    imageId: first(await resource('image')),
    videoId: first(await resource('video')),
    conversationId: conversationId!,
  };
}

beforeAll(async () => {
  api = await startTestApi();
  alice = await api.createUser('Alice');
  bob = await api.createUser('Bob');
  own = await createRows(alice);
  bobs = await createRows(bob);
});
afterAll(() => api.close());

const TABLES = ['users', 'tasks', 'idempotency_keys', 'scripts', 'storyboards', 'resources', 'conversations', 'messages'] as const;

/** Per table, its row count and a digest of every row: equal snapshots mean nothing was inserted, updated or deleted. */
async function snapshotTables(): Promise<Record<string, string>> {
  const perTable = TABLES.map(
    (table) => sql<{ name: string; state: string }>`
      select ${table}::text as name,
             count(*) || ':' || md5(coalesce(string_agg(to_jsonb(t)::text, ',' order by to_jsonb(t)::text), '')) as state
      from ${sql.table(table)} as t`,
  );
  const { rows } = await sql<{ name: string; state: string }>`${sql.join(perTable, sql` union all `)}`.execute(api.db);
  return Object.fromEntries(rows.map((row) => [row.name, row.state]));
}

/** What a case observed: the HTTP status and the codes of the errors in its (JSON) body. */
interface Answer {
  readonly status: number;
  readonly codes: readonly unknown[];
}

async function inject(options: InjectOptions): Promise<Answer> {
  const response = await api.server.app.inject(options);
  const body = response.json() as { errors?: { extensions?: { code?: unknown } }[] };
  return { status: response.statusCode, codes: (body.errors ?? []).map((error) => error.extensions?.code) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A raw POST as Alice: the body exactly as given. */
const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
  inject({ method: 'POST', url: '/graphql', payload, headers: { 'content-type': 'application/json', ...bearer(alice.token), ...headers } });

const postJson = (body: unknown, headers: Record<string, string> = {}) => post(JSON.stringify(body), headers);

/** A GET as Alice, with Apollo's preflight header unless `headers` says otherwise. */
const get = (query: Record<string, string | string[]>, headers: Record<string, string> = { 'apollo-require-preflight': 'true' }) =>
  inject({ method: 'GET', url: '/graphql', query, headers: { ...bearer(alice.token), ...headers } });

/**
 * A typed operation as Alice; `variables` may be deliberately wrong, hence unknown.
 * With her agent token: this corpus is about inputs, and an agent token may call every mutation.
 */
async function asAlice<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: unknown): Promise<Answer> {
  const result = await api.execute(document, variables as TVariables, { as: alice.agent });
  return { status: result.status, codes: (result.errors ?? []).map((error) => error.extensions?.code) };
}

/** A document that is no typed operation (it would not compile, or is built in code). */
const query = (text: string, extra: Record<string, unknown> = {}) => postJson({ query: text, ...extra });

const viewerQuery = print(HardeningViewerDocument);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const signingKey = () => new TextEncoder().encode(api.config.jwtSecret!);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
const withToken = async (token: Promise<string> | string) => inject({
  method: 'POST',
  url: '/graphql',
  payload: JSON.stringify({ query: viewerQuery }),
  headers: { 'content-type': 'application/json', ...bearer(await token) },
});

const taskInput = (topic: string) => ({ topic });
const storyboardInput = (sequenceNumber: number) => ({ sequenceNumber, description: 'A cut', prompt: 'A prompt', durationSeconds: 4 });
const resourceInput = (n: number) => ({ kind: 'IMAGE', url: `https://cdn.test/${n}.png`, mimeType: 'image/png' });
/** Bytes that are not UTF-8, inside a mutation that would otherwise write them. */
const withBytes = (bytes: number[]) =>
  Buffer.concat([
    Buffer.from('{"query":"mutation { createTask(input: {topic: \\"bad '),
    Buffer.from(bytes),
    Buffer.from(' bytes\\"}) { id } }"}'),
  ]);

/** A viewer query padded to exactly `bytes` of JSON. */
function bodyOfBytes(bytes: number): string {
  const unpadded = JSON.stringify({ query: viewerQuery, variables: { pad: '' } }).length;
  return JSON.stringify({ query: viewerQuery, variables: { pad: 'x'.repeat(bytes - unpadded) } });
}

interface BadInput {
  readonly name: string;
  readonly send: () => Promise<Answer>;
  readonly status: number;
  readonly code: string;
}

const httpCases: BadInput[] = [
  { name: 'malformed JSON', send: () => post('{"query": "{ viewer { id } }"'), status: 400, code: 'BAD_REQUEST' },
  { name: 'JSON followed by garbage', send: () => post(`${JSON.stringify({ query: viewerQuery })} trailing`), status: 400, code: 'BAD_REQUEST' },
  { name: 'JSON with single quotes', send: () => post("{'query': '{ viewer { id } }'}"), status: 400, code: 'BAD_REQUEST' },
  { name: 'an empty body', send: () => post(''), status: 400, code: 'BAD_REQUEST' },
  { name: 'a body of blanks', send: () => post('   \n '), status: 400, code: 'BAD_REQUEST' },
  { name: 'the JSON null', send: () => post('null'), status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON string', send: () => post(JSON.stringify(viewerQuery)), status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON number', send: () => post('42'), status: 400, code: 'BAD_REQUEST' },
  { name: 'an empty JSON object', send: () => postJson({}), status: 400, code: 'BAD_REQUEST' },
  { name: 'a query that is a number', send: () => postJson({ query: 42 }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a query that is a parsed document', send: () => postJson({ query: HardeningViewerDocument }), status: 400, code: 'BAD_REQUEST' },
  { name: 'an empty query', send: () => postJson({ query: '' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'variables as a JSON string', send: () => query(viewerQuery, { variables: '{}' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'variables as an array', send: () => query(viewerQuery, { variables: [1] }), status: 400, code: 'BAD_REQUEST' },
  { name: 'extensions as a number', send: () => query(viewerQuery, { extensions: 1 }), status: 400, code: 'BAD_REQUEST' },
  { name: 'an operationName that is a number', send: () => query(viewerQuery, { operationName: 7 }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a batch of 0 operations', send: () => post('[]'), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'a batch of 2 operations (HTTP batching is off)',
    send: () => postJson([{ query: viewerQuery }, { query: viewerQuery }]),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a body one byte over 1 MB',
    send: () => post(bodyOfBytes(1_048_577)),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a 1 MB topic in a createTask',
    send: () => asAlice(HardeningCreateTaskDocument, { input: taskInput('x'.repeat(1_048_576)) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  { name: 'invalid UTF-8 bytes (0xFF 0xFE)', send: () => post(withBytes([0xff, 0xfe])), status: 400, code: 'BAD_REQUEST' },
  { name: 'an overlong UTF-8 encoding of "/"', send: () => post(withBytes([0xc0, 0xaf])), status: 400, code: 'BAD_REQUEST' },
  { name: 'a UTF-16 surrogate encoded as UTF-8', send: () => post(withBytes([0xed, 0xa0, 0x80])), status: 400, code: 'BAD_REQUEST' },
  { name: 'a truncated UTF-8 sequence', send: () => post(withBytes([0xe2, 0x82])), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'a body that sets __proto__',
    send: () => post(`{"query": ${JSON.stringify(viewerQuery)}, "__proto__": {"admin": true}}`),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'Content-Type text/plain', send: () => post(JSON.stringify({ query: viewerQuery }), { 'content-type': 'text/plain' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  {
    name: 'a form post',
    send: () => post(`query=${encodeURIComponent(viewerQuery)}`, { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a multipart post',
    send: () => post('--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ viewer { id } }\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  { name: 'Content-Type application/graphql', send: () => post(viewerQuery, { 'content-type': 'application/graphql' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'Content-Type application/xml', send: () => post('<query/>', { 'content-type': 'application/xml' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  {
    name: 'a mutation over GET',
    send: () => get({ query: print(HardeningCreateConversationDocument), variables: JSON.stringify({ input: { title: 'Over GET' } }) }),
    status: 405,
    code: 'BAD_REQUEST',
  },
  { name: 'a GET without a preflight header (CSRF)', send: () => get({ query: viewerQuery }, {}), status: 400, code: 'BAD_REQUEST' },
  { name: 'a GET whose variables are not JSON', send: () => get({ query: viewerQuery, variables: '{id:' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a GET that names its query twice', send: () => get({ query: [viewerQuery, viewerQuery] }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a GET without a query', send: () => get({}), status: 400, code: 'BAD_REQUEST' },
];

const documentCases: BadInput[] = [
  { name: 'a syntax error', send: () => query('{ viewer { id }'), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'a field the schema lacks', send: () => query('{ viewer { password } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a subscription (there are none)', send: () => query('subscription { tasks { id } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'a fragment that spreads itself',
    send: () => query('query Loop { viewer { ...A } } fragment A on User { id ...A }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  { name: 'an unknown operation name', send: () => query(viewerQuery, { operationName: 'NoSuchOperation' }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  {
    name: 'two operations and no operation name',
    send: () => query('query A { viewer { id } } query B { viewer { email } }'),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: '1,000 copies of one field (over QUERY_MAX_SELECTIONS, refused before validation)',
    send: () => query(`{ viewer { ${'id '.repeat(1_000)}} }`),
    status: 400,
    code: 'QUERY_TOO_LARGE',
  },
  {
    name: 'a document over the token limit (5,000)',
    send: () => query(`{ viewer { ${'id '.repeat(5_000)} } }`),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  { name: 'a query 13 fields deep', send: () => asAlice(HardeningDepth13Document, {}), status: 400, code: 'QUERY_TOO_DEEP' },
  { name: 'a query 13 deep through fragments', send: () => asAlice(HardeningDepth13ThroughFragmentsDocument, {}), status: 400, code: 'QUERY_TOO_DEEP' },
  { name: 'an alias bomb of 31 aliases', send: () => asAlice(HardeningAliases31Document, {}), status: 400, code: 'TOO_MANY_ALIASES' },
  { name: '35 aliases through fragments', send: () => asAlice(HardeningAliasesThroughFragmentsDocument, {}), status: 400, code: 'TOO_MANY_ALIASES' },
  {
    name: 'a fragment bomb (each fragment spreads the next twice)',
    send: () => query(fragmentBomb(12)),
    status: 400,
    code: 'TOO_MANY_ALIASES',
  },
  { name: '10,000 storyboards with their media (cost 30,201)', send: () => asAlice(HardeningTooExpensiveDocument, {}), status: 400, code: 'QUERY_TOO_COMPLEX' },
  {
    name: 'page sizes of 100 x 100 in variables (cost 20,201)',
    send: () => asAlice(HardeningPagedStoryboardsDocument, { tasks: 100, storyboards: 100 }),
    status: 400,
    code: 'QUERY_TOO_COMPLEX',
  },
  { name: 'three aliases of 100 x 100 pages (cost 30,603)', send: () => asAlice(HardeningAliasedPagesDocument, {}), status: 400, code: 'QUERY_TOO_COMPLEX' },
  {
    name: 'a persisted-query hash the server does not know',
    send: () => postJson({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    status: 200,
    code: 'PERSISTED_QUERY_NOT_FOUND',
  },
  {
    name: 'a persisted-query hash that is not the document’s',
    send: () => query(viewerQuery, { extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a persisted query of an unknown version',
    send: () => query(viewerQuery, { extensions: { persistedQuery: { version: 2, sha256Hash: 'c'.repeat(64) } } }),
    status: 400,
    code: 'BAD_REQUEST',
  },
];

/** Fragment Fn spreads Fn-1 twice: 2^n aliases from a few hundred bytes. */
function fragmentBomb(levels: number): string {
  const fragments = ['fragment F0 on User { alias: id }'];
  for (let n = 1; n <= levels; n++) fragments.push(`fragment F${n} on User { ...F${n - 1} ...F${n - 1} }`);
  return `query Bomb { viewer { ...F${levels} } } ${fragments.join(' ')}`;
}

const variableCases: BadInput[] = [
  { name: 'a required variable left out', send: () => asAlice(HardeningTaskDocument, {}), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an ID that is an object', send: () => asAlice(HardeningTaskDocument, { id: { $ne: null } }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an ID that is a boolean', send: () => asAlice(HardeningTaskDocument, { id: true }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'first as a string', send: () => asAlice(HardeningTasksDocument, { first: 'ten' }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'first as a fraction', send: () => asAlice(HardeningTasksDocument, { first: 1.5 }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'first past a 32-bit Int', send: () => asAlice(HardeningTasksDocument, { first: 2 ** 31 }), status: 400, code: 'BAD_USER_INPUT' },
  {
    name: 'a status the enum lacks',
    send: () => asAlice(HardeningUpdateTaskStatusDocument, { input: { id: own.taskId, status: 'DONE' } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an input field the schema lacks',
    send: () => asAlice(HardeningCreateTaskDocument, { input: { topic: 'Extra', userId: bob.id } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'null for a required input', send: () => asAlice(HardeningCreateTaskDocument, { input: null }), status: 400, code: 'BAD_USER_INPUT' },
  {
    name: 'options that are an array, not an object',
    send: () => asAlice(HardeningCreateTaskDocument, { input: { topic: 'Array options', options: [1, 2] } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a batch that is one object, not a list of them',
    send: () => asAlice(HardeningCreateTasksDocument, { inputs: 'not a list' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
];

const valueCases: BadInput[] = [
  { name: 'a task id that is not a UUID', send: () => asAlice(HardeningTaskDocument, { id: 'not-a-uuid' }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'an empty task id', send: () => asAlice(HardeningTaskDocument, { id: '' }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a script id of SQL', send: () => asAlice(HardeningScriptDocument, { id: "' or 1=1 --" }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a UUID with a suffix', send: () => asAlice(HardeningConversationDocument, { id: `${own.conversationId}0` }), status: 200, code: 'BAD_USER_INPUT' },
  {
    name: 'a cancelTask id that is not a UUID',
    send: () => asAlice(HardeningCancelTaskDocument, { id: '12345' }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  { name: 'a cursor that is not base64 JSON', send: () => asAlice(HardeningTasksDocument, { after: '!!!' }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a cursor of another list', send: () => asAlice(HardeningTasksDocument, { after: cursor(['message', Date.now(), randomUUID()]) }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a task cursor with a bad id', send: () => asAlice(HardeningTasksDocument, { after: cursor(['task', Date.now(), 'x']) }), status: 200, code: 'BAD_USER_INPUT' },
  {
    name: 'a task cursor before 4713 BC (out of PostgreSQL’s range)',
    send: () => asAlice(HardeningTasksDocument, { after: cursor(['task', -8.64e15, randomUUID()]) }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a storyboard cursor with a fractional position',
    send: () => asAlice(HardeningStoryboardsDocument, { taskId: own.taskId, after: cursor(['storyboard', 1.5, randomUUID()]) }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a storyboard cursor past a 32-bit integer',
    send: () => asAlice(HardeningStoryboardsDocument, { taskId: own.taskId, after: cursor(['storyboard', 2 ** 40, randomUUID()]) }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  { name: 'first: -1', send: () => asAlice(HardeningTasksDocument, { first: -1 }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'first: 101', send: () => asAlice(HardeningTasksDocument, { first: 101 }), status: 200, code: 'PAGE_TOO_LARGE' },
  { name: 'first: 2^31 - 1', send: () => asAlice(HardeningTasksDocument, { first: 2 ** 31 - 1 }), status: 200, code: 'PAGE_TOO_LARGE' },
  { name: 'a negative storyboard page', send: () => asAlice(HardeningStoryboardsDocument, { taskId: own.taskId, first: -5 }), status: 200, code: 'BAD_USER_INPUT' },
  {
    name: 'last: 1,000 messages',
    send: () => asAlice(HardeningMessagesDocument, { conversationId: own.conversationId, last: 1_000 }),
    status: 200,
    code: 'PAGE_TOO_LARGE',
  },
  {
    name: 'first and last together',
    send: () => asAlice(HardeningMessagesDocument, { conversationId: own.conversationId, first: 2, last: 2 }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  { name: 'an offset past 10,000', send: () => asAlice(HardeningTasksDocument, { offset: 10_001 }), status: 200, code: 'OFFSET_TOO_LARGE' },
  { name: 'a negative offset', send: () => asAlice(HardeningTasksDocument, { offset: -1 }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'createTasks with 0 items', send: () => asAlice(HardeningCreateTasksDocument, { inputs: [] }), status: 200, code: 'BAD_USER_INPUT' },
  {
    name: 'createTasks with 501 items',
    send: () => asAlice(HardeningCreateTasksDocument, { inputs: Array.from({ length: 501 }, (_, i) => taskInput(`Task ${i}`)) }),
    status: 200,
    code: 'BATCH_TOO_LARGE',
  },
  {
    name: 'createTasks with one empty topic among valid ones',
    send: () => asAlice(HardeningCreateTasksDocument, { inputs: [taskInput('One'), taskInput(''), taskInput('Three')] }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    // createTasks skips class-validator: the JSONObject scalar refuses non-objects before the resolver runs.
    name: 'createTasks with options that are an array among valid ones',
    send: () => asAlice(HardeningCreateTasksDocument, { inputs: [taskInput('One'), { topic: 'Two', options: [1, 2] }] }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'addStoryboards with 0 items', send: () => asAlice(HardeningAddStoryboardsDocument, { taskId: own.taskId, inputs: [] }), status: 200, code: 'BAD_USER_INPUT' },
  {
    name: 'addStoryboards with 501 items',
    send: () => asAlice(HardeningAddStoryboardsDocument, { taskId: own.taskId, inputs: Array.from({ length: 501 }, (_, i) => storyboardInput(100 + i)) }),
    status: 200,
    code: 'BATCH_TOO_LARGE',
  },
  {
    name: 'addResources with 501 items',
    send: () => asAlice(HardeningAddResourcesDocument, { taskId: own.taskId, inputs: Array.from({ length: 501 }, (_, i) => resourceInput(i)) }),
    status: 200,
    code: 'BATCH_TOO_LARGE',
  },
  { name: 'updateTasksStatus with 0 items', send: () => asAlice(HardeningUpdateTasksStatusDocument, { inputs: [] }), status: 200, code: 'BAD_USER_INPUT' },
  {
    name: 'updateTasksStatus with 501 items',
    send: () => asAlice(HardeningUpdateTasksStatusDocument, { inputs: Array.from({ length: 501 }, () => ({ id: own.runningTaskId, status: 'RUNNING' })) }),
    status: 200,
    code: 'BATCH_TOO_LARGE',
  },
  {
    name: 'progress 1.5',
    send: () => asAlice(HardeningUpdateTaskStatusDocument, { input: { id: own.runningTaskId, status: 'RUNNING', progress: 1.5 } }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'progress -0.1',
    send: () => asAlice(HardeningUpdateTaskStatusDocument, { input: { id: own.runningTaskId, status: 'RUNNING', progress: -0.1 } }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'progress 1e308 in a batch',
    send: () => asAlice(HardeningUpdateTasksStatusDocument, { inputs: [{ id: own.runningTaskId, status: 'RUNNING', progress: 1e308 }] }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a completed task set back to RUNNING',
    send: () => asAlice(HardeningUpdateTaskStatusDocument, { input: { id: own.completedTaskId, status: 'RUNNING' } }),
    status: 200,
    code: 'INVALID_TRANSITION',
  },
  { name: 'an empty topic', send: () => asAlice(HardeningCreateTaskDocument, { input: taskInput('') }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a blank topic', send: () => asAlice(HardeningCreateTaskDocument, { input: taskInput(' \t\n ') }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a 100 KB topic', send: () => asAlice(HardeningCreateTaskDocument, { input: taskInput('x'.repeat(100 * 1024)) }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'a topic with a NUL character', send: () => asAlice(HardeningCreateTaskDocument, { input: taskInput('nul \u0000 byte') }), status: 200, code: 'BAD_USER_INPUT' },
  {
    name: 'options over 64 KB of JSON',
    send: () => asAlice(HardeningCreateTaskDocument, { input: { topic: 'Big options', options: { blob: 'x'.repeat(65 * 1024) } } }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an idempotency key of 201 characters',
    send: () => asAlice(HardeningCreateTasksDocument, { inputs: [taskInput('Keyed')], idempotencyKey: 'k'.repeat(201) }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  { name: 'an empty conversation title', send: () => asAlice(HardeningCreateConversationDocument, { input: { title: '' } }), status: 200, code: 'BAD_USER_INPUT' },
  {
    name: 'a message of 100,001 characters',
    send: () => asAlice(HardeningPostMessageDocument, { input: { conversationId: own.conversationId, role: 'USER', content: 'm'.repeat(100_001) } }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a storyboard lasting 0 seconds',
    send: () => asAlice(HardeningAddStoryboardsDocument, { taskId: own.taskId, inputs: [{ ...storyboardInput(50), durationSeconds: 0 }] }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a resource with an empty url',
    send: () => asAlice(HardeningAddResourcesDocument, { taskId: own.taskId, inputs: [{ ...resourceInput(1), url: '' }] }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a video id given as a storyboard’s first-frame image',
    send: () => asAlice(HardeningSetStoryboardMediaDocument, { input: { storyboardId: own.storyboardId, firstFrameImageId: own.videoId } }),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
];

const tokenCases: BadInput[] = [
  { name: 'no token for a data field', send: () => inject({ method: 'POST', url: '/graphql', payload: { query: viewerQuery } }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'an expired token', send: () => withToken(api.tokens.sign(alice.id, '-1s')), status: 401, code: 'UNAUTHENTICATED' },
  {
    name: 'an unsigned alg: none token',
    send: () => withToken(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: alice.id, exp: nowSeconds() + 3600 })}.`),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token signed with another key',
    send: () => withToken(createTokenIssuer('another-secret-that-is-long-enough-987654').sign(alice.id)),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token without sub',
    send: () => withToken(new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(signingKey())),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token without exp',
    send: () => withToken(new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(alice.id).sign(signingKey())),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  { name: 'a token for an unknown user', send: () => withToken(api.tokens.sign(randomUUID())), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a token that is not a JWT', send: () => withToken('not.a.jwt'), status: 401, code: 'UNAUTHENTICATED' },
];

/** Every query that takes an id, with one of Bob's: null, as for a missing id, and no error. */
const foreignReads = [
  { name: 'Query.task', send: () => asAlice(HardeningTaskDocument, { id: bobs.taskId }) },
  { name: 'Query.script', send: () => asAlice(HardeningScriptDocument, { id: bobs.scriptId }) },
  { name: 'Query.storyboard', send: () => asAlice(HardeningStoryboardDocument, { id: bobs.storyboardId }) },
  { name: 'Query.resource', send: () => asAlice(HardeningResourceDocument, { id: bobs.imageId }) },
  { name: 'Query.conversation', send: () => asAlice(HardeningConversationDocument, { id: bobs.conversationId }) },
];

/** Every mutation that takes an id, with one of Bob's. */
const foreignIdCases: BadInput[] = [
  {
    name: 'Mutation.updateTaskStatus',
    send: () => asAlice(HardeningUpdateTaskStatusDocument, { input: { id: bobs.runningTaskId, status: 'COMPLETED', progress: 1 } }),
  },
  {
    name: 'Mutation.updateTasksStatus, after one of Alice’s own',
    send: () =>
      asAlice(HardeningUpdateTasksStatusDocument, {
        inputs: [
          { id: own.runningTaskId, status: 'RUNNING', progress: 0.9 },
          { id: bobs.runningTaskId, status: 'RUNNING', progress: 0.9 },
        ],
      }),
  },
  { name: 'Mutation.cancelTask', send: () => asAlice(HardeningCancelTaskDocument, { id: bobs.taskId }) },
  { name: 'Mutation.deleteTask', send: () => asAlice(HardeningDeleteTaskDocument, { id: bobs.taskId }) },
  { name: 'Mutation.addScript', send: () => asAlice(HardeningAddScriptDocument, { input: { taskId: bobs.taskId, title: 'Mine now', content: 'Text' } }) },
  { name: 'Mutation.addStoryboards', send: () => asAlice(HardeningAddStoryboardsDocument, { taskId: bobs.taskId, inputs: [storyboardInput(70)] }) },
  { name: 'Mutation.addResources', send: () => asAlice(HardeningAddResourcesDocument, { taskId: bobs.taskId, inputs: [resourceInput(70)] }) },
  {
    name: 'Mutation.setStoryboardMedia of Bob’s storyboard',
    send: () => asAlice(HardeningSetStoryboardMediaDocument, { input: { storyboardId: bobs.storyboardId, firstFrameImageId: null } }),
  },
  {
    name: 'Mutation.setStoryboardMedia of Alice’s storyboard to Bob’s video',
    send: () => asAlice(HardeningSetStoryboardMediaDocument, { input: { storyboardId: own.storyboardId, videoId: bobs.videoId } }),
  },
  {
    name: 'Mutation.createConversation about Bob’s task',
    send: () => asAlice(HardeningCreateConversationDocument, { input: { title: 'About Bob’s task', taskId: bobs.taskId } }),
  },
  {
    name: 'Mutation.postMessage to Bob’s conversation',
    send: () => asAlice(HardeningPostMessageDocument, { input: { conversationId: bobs.conversationId, role: 'USER', content: 'Hi Bob' } }),
  },
].map((call) => ({ ...call, name: `${call.name} with another user’s id`, status: 200, code: 'NOT_FOUND' }));

const corpus = [...httpCases, ...documentCases, ...variableCases, ...valueCases, ...tokenCases, ...foreignIdCases];

describe('the bad-input corpus', () => {
  it('holds at least 60 cases, each named once', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it('sees a write when there is one (the control of the snapshots below)', async () => {
    const before = await snapshotTables();

    const created = await asAlice(HardeningCreateTaskDocument, { input: taskInput('Written') });

    expect(created).toEqual({ status: 200, codes: [] });
    expect(await snapshotTables()).not.toEqual(before);
    await api.db.deleteFrom('tasks').where('topic', '=', 'Written').execute();
    expect(await snapshotTables()).toEqual(before);
  });

  it.each(corpus)('answers $name with HTTP $status and $code, and writes nothing', async ({ send, status, code }) => {
    const before = await snapshotTables();

    const answer = await send();

    expect({ status: answer.status, codes: [...new Set(answer.codes)] }).toEqual({ status, codes: [code] });
    expect(await snapshotTables()).toEqual(before);
  });

  it.each(foreignReads)('answers $name with another user’s id with HTTP 200 and no error, and writes nothing', async ({ send }) => {
    const before = await snapshotTables();

    const answer = await send();

    expect(answer).toEqual({ status: 200, codes: [] });
    expect(await snapshotTables()).toEqual(before);
  });
});
