import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentHash, type Manifest } from '../../src/trusted-documents/manifest.js';
import {
  ConversationsW4Document,
  HardeningCreateTaskDocument,
  HardeningTaskDocument,
  HardeningTooExpensiveDocument,
  HardeningViewerDocument,
} from '../generated/graphql.js';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** `npm run trusted-documents:build -- <args>`, without npm's own output. */
const build = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'tools/cli/trusted-documents.ts', ...args], { cwd: ROOT });

let folder: string;
let manifestPath: string;
let manifest: Manifest;
let api: TestApi;
let user: TestUser;
let taskId: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'arya-trusted-'));
  manifestPath = path.join(folder, 'trusted-documents.json');
  await build('--out', manifestPath);
  manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  api = await startTestApi({ TRUSTED_DOCUMENTS: manifestPath });
  user = await api.createUser('Trusted');
  [taskId] = (await createTaskTree(api.db, user.id, { tasks: 1 })) as [string];
  await createConversations(api.db, user.id, { conversations: 2, messagesPerConversation: 2 });
});
afterAll(async () => {
  await api.close();
  await rm(folder, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly body: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
}

async function post(payload: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await api.server.app.inject({
    method: 'POST',
    url: '/graphql',
    payload: JSON.stringify(payload),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}`, ...headers },
  });
  return { status: response.statusCode, body: response.json() };
}

async function get(query: Record<string, string>): Promise<Answer> {
  const response = await api.server.app.inject({
    method: 'GET',
    url: '/graphql',
    query,
    headers: { authorization: `Bearer ${user.token}`, 'apollo-require-preflight': 'true' },
  });
  return { status: response.statusCode, body: response.json() };
}

const codesOf = (answer: Answer) => answer.body.errors?.map((error) => error.extensions?.code);
const persistedQuery = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
const NOT_ALLOWED = { status: 400, codes: ['PERSISTED_QUERY_NOT_ALLOWED'] };
const outcome = (answer: Answer) => ({ status: answer.status, codes: codesOf(answer) });
const UNTRUSTED = '{ viewer { id email } }';

describe('npm run trusted-documents:build', () => {
  it('writes one entry per operation of tests/operations and the benchmark’s examples, keyed by the sha256 of its text', () => {
    const texts = Object.values(manifest);

    expect(Object.entries(manifest).every(([hash, text]) => documentHash(text) === hash)).toBe(true);
    expect(texts.some((text) => text.startsWith('query W3TaskTree'))).toBe(true);
    expect(texts.some((text) => text.startsWith('query HardeningTask('))).toBe(true);
    // Every entry is exactly one operation with the fragments it uses.
    expect(texts.every((text) => (text.match(/^(query|mutation|subscription)\b/gm) ?? []).length === 1)).toBe(true);
  });

  it('reads the files, folders and globs given with --from', async () => {
    const out = path.join(folder, 'examples.json');

    const { stdout } = await build('--from', 'tools/explain/examples', '--from', 'tests/operations/task-*.graphql', '--out', out);

    const written = JSON.parse(await readFile(out, 'utf8')) as Manifest;
    expect(Object.values(written).map((text) => /^query (\w+)/.exec(text)![1]).sort()).toEqual([
      'TaskTree',
      'W1Task',
      'W2TaskPage',
      'W3TaskTree',
      'W4Conversations',
    ]);
    expect(stdout).toContain('5 trusted documents from 5 files');
  });

  it('fails, naming the pattern, when a --from names no file', async () => {
    await expect(build('--from', 'tests/operations/no-such-*.graphql', '--out', path.join(folder, 'none.json'))).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no-such-*.graphql'),
    });
  });
});

describe('with TRUSTED_DOCUMENTS', () => {
  it('runs an operation of the manifest sent as text', async () => {
    const result = await api.execute(HardeningTaskDocument, { id: taskId }, { as: user });

    expect(result.status).toBe(200);
    expect(result.data).toEqual({ task: { id: taskId, topic: 'Topic 1' } });
  });

  it('runs one whose text differs from the manifest’s only in layout, comments or fragment order', async () => {
    const w3 = await readFile(new URL('../../tools/explain/examples/w3-task-tree.graphql', import.meta.url), 'utf8');
    expect(manifest[documentHash(w3)]).toBeUndefined();

    const fromFile = await post({ query: w3 });
    const withFragments = await api.execute(ConversationsW4Document, { first: 2, last: 2 }, { as: user });

    expect(fromFile.body.errors).toBeUndefined();
    expect(withFragments.errors).toBeUndefined();
  });

  it('runs an operation named by its hash alone, over POST and over GET', async () => {
    const hash = documentHash(print(HardeningTaskDocument));
    expect(manifest[hash]).toBeDefined();

    const overPost = await post({ variables: { id: taskId }, extensions: persistedQuery(hash) });
    const overGet = await get({ variables: JSON.stringify({ id: taskId }), extensions: JSON.stringify(persistedQuery(hash)) });

    expect(overPost.body).toEqual({ data: { task: { id: taskId, topic: 'Topic 1' } } });
    expect(overGet.body).toEqual({ data: { task: { id: taskId, topic: 'Topic 1' } } });
  });

  it('refuses a document outside the manifest with PERSISTED_QUERY_NOT_ALLOWED (HTTP 400), before any SQL', async () => {
    const { result, statements } = await api.recordSql(() => post({ query: UNTRUSTED }));

    expect(outcome(result)).toEqual(NOT_ALLOWED);
    expect(result.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } }] });
    expect(statements).toEqual([]);
  });

  it.each([
    ['a hash outside the manifest', () => post({ extensions: persistedQuery('f'.repeat(64)) })],
    ['a hash that is not a string', () => post({ extensions: { persistedQuery: { version: 1, sha256Hash: 42 } } })],
    ['an untrusted document registered with its own hash (APQ)', () => post({ query: UNTRUSTED, extensions: persistedQuery(documentHash(UNTRUSTED)) })],
    ['an untrusted document over GET', () => get({ query: UNTRUSTED })],
    ['a hash outside the manifest over GET', () => get({ extensions: JSON.stringify(persistedQuery('e'.repeat(64))) })],
    ['a batch with one untrusted operation', () => post([{ query: print(HardeningViewerDocument) }, { query: UNTRUSTED }])],
    [
      'a trusted operation beside an untrusted one in one document',
      () => post({ query: `${print(HardeningViewerDocument)}\nquery Other ${UNTRUSTED}`, operationName: 'HardeningViewer' }),
    ],
    ['the introspection query', () => post({ query: '{ __schema { types { name } } }' })],
    ['an untrusted document with an expired token (refused before the token is read)', () => post({ query: UNTRUSTED }, { authorization: 'Bearer expired' })],
  ])('refuses %s with PERSISTED_QUERY_NOT_ALLOWED', async (_kind, send) => {
    expect(outcome(await send())).toEqual(NOT_ALLOWED);
  });

  it('refuses an untrusted mutation and writes nothing', async () => {
    const mutation = 'mutation { createTask(input: { topic: "Untrusted" }) { id } }';

    const answer = await post({ query: mutation });

    expect(outcome(answer)).toEqual(NOT_ALLOWED);
    expect(await api.db.selectFrom('tasks').select('id').where('topic', '=', 'Untrusted').execute()).toEqual([]);
  });

  it('runs a trusted mutation', async () => {
    const result = await api.execute(HardeningCreateTaskDocument, { input: { topic: 'Trusted' } }, { as: user });

    expect(result.errors).toBeUndefined();
    expect(await api.db.selectFrom('tasks').select('topic').where('userId', '=', user.id).where('topic', '=', 'Trusted').execute()).toHaveLength(1);
  });

  it('still applies the query limits to a trusted document', async () => {
    const result = await api.execute(HardeningTooExpensiveDocument, {}, { as: user });

    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('does not start with a manifest whose entry is not the hash of its document', async () => {
    const tampered = path.join(folder, 'tampered.json');
    await writeFile(tampered, JSON.stringify({ [documentHash('{ viewer { id } }')]: '{ viewer { email } }' }));

    await expect(api.startSibling({ TRUSTED_DOCUMENTS: tampered })).rejects.toThrow(/TRUSTED_DOCUMENTS/);
  });
});
