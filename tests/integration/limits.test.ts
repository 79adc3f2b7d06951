import { readFile, readdir } from 'node:fs/promises';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Lexer, Source, TokenKind, getIntrospectionQuery, parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HardeningAddScriptDocument,
  HardeningAliasedPagesDocument,
  HardeningAliases30Document,
  HardeningAliases31Document,
  HardeningAliasesThroughFragmentsDocument,
  HardeningDepth12Document,
  HardeningDepth13Document,
  HardeningDepth13ThroughFragmentsDocument,
  HardeningPagedStoryboardsDocument,
  HardeningPagedStoryboardsWithDefaultsDocument,
  HardeningTooExpensiveDocument,
  HardeningViewerDocument,
} from '../generated/graphql.js';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { operationDocuments } from '../../src/trusted-documents/manifest.js';
import { startTestApi, type NewTestUser, type TestApi } from '../helpers/test-api.js';

let api: TestApi;
let user: NewTestUser;
let taskId: string;

beforeAll(async () => {
  api = await startTestApi();
  user = await api.createUser('Limits');
  // The benchmark's shapes: W3's 20 tasks of 3 scripts and 10 storyboards with media, W4's 20 x 20 messages.
  [taskId] = (await createTaskTree(api.db, user.id, { tasks: 20, scriptsPerTask: 3, storyboardsPerTask: 10, withMedia: true })) as [string];
  await createConversations(api.db, user.id, { conversations: 20, messagesPerConversation: 20 });
});
afterAll(() => api.close());

interface Answer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** A POST as `user` of any document text (examples, built documents) with the given headers. */
async function send(target: TestApi, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await target.server.app.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query, variables },
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}`, ...headers },
  });
  return { status: response.statusCode, headers: response.headers, body: response.json() };
}

const sendTyped = <TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables?: TVariables, target = api) =>
  send(target, print(document), (variables ?? {}) as Record<string, unknown>);

const codesOf = (answer: Answer) => answer.body.errors?.map((error) => error.extensions?.code);
const example = (name: string) => readFile(new URL(`../../tools/explain/examples/${name}.graphql`, import.meta.url), 'utf8');

describe('query depth', () => {
  it('runs an operation 12 fields deep, the default limit', async () => {
    const answer = await sendTyped(HardeningDepth12Document);

    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it('refuses 13 fields with QUERY_TOO_DEEP (HTTP 400), naming the depth and the limit', async () => {
    const answer = await sendTyped(HardeningDepth13Document);

    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors!.map((error) => error.extensions)).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 13, maxDepth: 12 }]);
  });

  it('follows fragments', async () => {
    const answer = await sendTyped(HardeningDepth13ThroughFragmentsDocument);

    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 13 });
  });

  it('takes its limit from QUERY_MAX_DEPTH', async () => {
    const shallow = await api.startSibling({ QUERY_MAX_DEPTH: '5' });
    try {
      const treeOf6 = await send(shallow, await example('w3-task-tree'));
      const pageOf3 = await send(shallow, await example('w2-task-page'));

      expect(treeOf6.status).toBe(400);
      expect(treeOf6.body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_DEEP', depth: 6, maxDepth: 5 });
      expect(pageOf3.body.errors).toBeUndefined();
    } finally {
      await shallow.close();
    }
  });
});

describe('aliases', () => {
  it('runs 30 aliases, the default limit', async () => {
    const answer = await sendTyped(HardeningAliases30Document);

    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it('refuses 31 with TOO_MANY_ALIASES (HTTP 400), naming the count and the limit', async () => {
    const answer = await sendTyped(HardeningAliases31Document);

    expect(answer.status).toBe(400);
    expect(answer.body.errors!.map((error) => error.extensions)).toEqual([{ code: 'TOO_MANY_ALIASES', aliases: 31, maxAliases: 30 }]);
  });

  it('counts a fragment’s aliases each time it is spread', async () => {
    const answer = await sendTyped(HardeningAliasesThroughFragmentsDocument);

    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', aliases: 35 });
  });

  it('measures a fragment bomb in linear time: 2^40 aliases from 40 small fragments', async () => {
    const fragments = ['fragment F0 on User { alias: id }'];
    for (let n = 1; n <= 40; n++) fragments.push(`fragment F${n} on User { ...F${n - 1} ...F${n - 1} }`);
    const started = performance.now();

    const answer = await send(api, `query Bomb { viewer { ...F40 } } ${fragments.join(' ')}`);

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', aliases: 2 ** 40 });
  });
});

describe('query cost', () => {
  it.each([
    ['W3, the task tree (cost 1,081)', 'w3-task-tree'],
    ['W4, 20 conversations of 20 messages (cost 461)', 'w4-conversations'],
  ])('runs %s well under the default 20,000', async (_name, file) => {
    const answer = await send(api, await example(file));

    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it('refuses 10,000 storyboards with their media with QUERY_TOO_COMPLEX (HTTP 400), naming the cost and the limit', async () => {
    const answer = await sendTyped(HardeningTooExpensiveDocument);

    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors!.map((error) => error.extensions)).toEqual([{ code: 'QUERY_TOO_COMPLEX', cost: 30_201, maxCost: 20_000 }]);
  });

  it('refuses three aliases of a page that alone would pass', async () => {
    const answer = await sendTyped(HardeningAliasedPagesDocument);

    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 30_603 });
  });

  it('reads page sizes from the variables', async () => {
    const small = await sendTyped(HardeningPagedStoryboardsDocument, { tasks: 100, storyboards: 50 });
    const large = await sendTyped(HardeningPagedStoryboardsDocument, { tasks: 100, storyboards: 100 });

    expect(small.body.errors).toBeUndefined();
    expect(large.status).toBe(400);
    expect(large.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 20_201 });
  });

  it('reads a variable’s default when the request leaves it out', async () => {
    const defaults = await sendTyped(HardeningPagedStoryboardsWithDefaultsDocument, {});
    const smaller = await sendTyped(HardeningPagedStoryboardsWithDefaultsDocument, { tasks: 20 });

    expect(defaults.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 20_201 });
    expect(smaller.body.errors).toBeUndefined();
  });

  it('leaves a page over 100 to its resolver: PAGE_TOO_LARGE, not QUERY_TOO_COMPLEX', async () => {
    const answer = await sendTyped(HardeningPagedStoryboardsDocument, { tasks: 1_000_000, storyboards: 1 });

    expect(codesOf(answer)).toEqual(['PAGE_TOO_LARGE']);
  });

  it('refuses before any resolver reads: no statement touches the data', async () => {
    await sendTyped(HardeningViewerDocument); // the viewer's check, once

    const { result, statements } = await api.recordSql(() => sendTyped(HardeningTooExpensiveDocument));

    expect(codesOf(result)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(statements.filter((statement) => /\b(tasks|storyboards|resources)\b/.test(statement))).toEqual([]);
  });

  it('takes its limit from QUERY_MAX_COST', async () => {
    const strict = await api.startSibling({ QUERY_MAX_COST: '500' });
    try {
      const answer = await send(strict, await example('w3-task-tree'));

      expect(answer.body.errors!.map((error) => error.extensions)).toEqual([{ code: 'QUERY_TOO_COMPLEX', cost: 881, maxCost: 500 }]);
    } finally {
      await strict.close();
    }
  });

  it('lets Sandbox introspect the schema outside production: introspection counts toward neither depth nor cost', async () => {
    const answer = await send(api, getIntrospectionQuery());

    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });
});

describe('the parser’s token limit', () => {
  /** `{ viewer { id id ... } }`: the fields and 5 more tokens. */
  const document = (tokens: number) => `{ viewer { ${'id '.repeat(tokens - 5)}} }`;

  it('refuses a document of 5,001 tokens, one over the default, with GRAPHQL_PARSE_FAILED (HTTP 400)', async () => {
    const answer = await send(api, document(5_001));

    expect(answer.status).toBe(400);
    expect(codesOf(answer)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('takes its limit from QUERY_MAX_TOKENS', async () => {
    const strict = await api.startSibling({ QUERY_MAX_TOKENS: '100' });
    try {
      const atLimit = await send(strict, document(100));
      const overLimit = await send(strict, document(101));

      expect(atLimit.status).toBe(200);
      expect(atLimit.body.errors).toBeUndefined();
      expect(overLimit.status).toBe(400);
      expect(codesOf(overLimit)).toEqual(['GRAPHQL_PARSE_FAILED']);
    } finally {
      await strict.close();
    }
  });

  it('leaves every operation the tests and the benchmark send far below it', async () => {
    const files = [
      ...(await readdir(new URL('../operations/', import.meta.url))).map((name) => new URL(`../operations/${name}`, import.meta.url)),
      ...(await readdir(new URL('../../tools/explain/examples/', import.meta.url))).map((name) => new URL(`../../tools/explain/examples/${name}`, import.meta.url)),
    ];
    const documents = await Promise.all(files.map(async (file) => parse(await readFile(file, 'utf8'))));
    const tokens = documents.flatMap((document) => operationDocuments(document)).map((operation) => tokenCount(operation.text));

    expect(Math.max(...tokens)).toBeLessThan(1_000);
  });
});

function tokenCount(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

describe('the request body', () => {
  /** A query whose JSON body is exactly `bytes` long. */
  function bodyOf(bytes: number): string {
    const empty = JSON.stringify({ query: print(HardeningViewerDocument), variables: { pad: '' } });
    return JSON.stringify({ query: print(HardeningViewerDocument), variables: { pad: 'x'.repeat(bytes - empty.length) } });
  }
  const post = (target: TestApi, payload: string, headers: Record<string, string> = {}) =>
    target.server.app.inject({
      method: 'POST',
      url: '/graphql',
      payload,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}`, ...headers },
    });

  it('takes a body of exactly 1 MB (1,048,576 bytes), the default limit', async () => {
    const response = await post(api, bodyOf(1_048_576));

    expect(response.statusCode).toBe(200);
    expect(response.json().errors).toBeUndefined();
  });

  it('refuses one byte more with HTTP 413 and a GraphQL error body', async () => {
    const response = await post(api, bodyOf(1_048_577));

    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('answers a client that accepts application/graphql-response+json in that media type', async () => {
    const response = await post(api, bodyOf(1_048_577), { accept: 'application/graphql-response+json' });

    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
  });

  it('fits a script at its maximum of 100,000 characters, in 4-byte characters too, and refuses one more', async () => {
    // Scripts are the agent's to write.
    const agent = { authorization: `Bearer ${user.agent.token}` };
    const addScript = (title: string, content: string) => send(api, print(HardeningAddScriptDocument), { input: { taskId, title, content } }, agent);

    const longest = await addScript('Longest', 's'.repeat(100_000));
    expect(longest.status).toBe(200);
    expect(longest.body.errors).toBeUndefined();
    // 50,000 emoji: 100,000 UTF-16 characters, 200,000 bytes of UTF-8, well inside the 1 MiB body.
    expect((await addScript('Widest', '🎬'.repeat(50_000))).body.errors).toBeUndefined();
    expect(codesOf(await addScript('Too long', 's'.repeat(100_001)))).toEqual(['BAD_USER_INPUT']);
  });

  it('takes its limit from BODY_LIMIT_BYTES', async () => {
    const small = await api.startSibling({ BODY_LIMIT_BYTES: '2048' });
    try {
      expect((await post(small, bodyOf(2_048))).statusCode).toBe(200);
      expect((await post(small, bodyOf(2_049))).statusCode).toBe(413);
    } finally {
      await small.close();
    }
  });

  it.each([
    ['text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('refuses Content-Type %s with HTTP %i and %s', async (contentType, status, code) => {
    const response = await post(api, JSON.stringify({ query: print(HardeningViewerDocument) }), { 'content-type': contentType });

    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
  });

  it('refuses malformed JSON with HTTP 400 and BAD_REQUEST', async () => {
    const response = await post(api, '{"query": ');

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }] });
  });
});

describe('HTTP', () => {
  it('refuses a batched array with HTTP 400 and BAD_REQUEST: one operation per request', async () => {
    const operation = { query: print(HardeningViewerDocument) };
    const response = await api.server.app.inject({
      method: 'POST',
      url: '/graphql',
      payload: [operation, operation],
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['BAD_REQUEST']);
  });

  it.each([
    ['a GET without a preflight header', { method: 'GET' as const, query: { query: print(HardeningViewerDocument) } }],
    ['a POST without a Content-Type or a body', { method: 'POST' as const }],
  ])('refuses %s as a possible CSRF with HTTP 400 and BAD_REQUEST', async (_kind, request) => {
    const response = await api.server.app.inject({ url: '/graphql', headers: { authorization: `Bearer ${user.token}` }, ...request });

    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['BAD_REQUEST']);
  });
});

describe('outside and in production', () => {
  const misspelt = '{ viewer { emial } }';

  it('suggests field names outside production', async () => {
    const answer = await send(api, misspelt);

    expect(codesOf(answer)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.body.errors![0]!.message).toContain('Did you mean');
  });

  it('names no field and refuses introspection in production', async () => {
    // The sibling shares this test's database handle: its DATABASE_URL is only there to pass config validation.
    const production = await api.startSibling({ NODE_ENV: 'production', DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused', SHUTDOWN_DRAIN_DELAY_MS: '0' });
    try {
      const suggestion = await send(production, misspelt);
      const introspection = await send(production, getIntrospectionQuery());

      expect(codesOf(suggestion)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(suggestion.body.errors![0]!.message).not.toContain('email');
      expect(introspection.status).toBe(400);
      expect(codesOf(introspection)).toContain('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await production.close();
    }
  });
});
