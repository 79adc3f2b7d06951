// @requires redis-server
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { print, stripIgnoredCharacters } from 'graphql';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheCancelTaskDocument, CacheLargePageDocument, CacheTaskDocument, CacheViewerEmailDocument } from '../../generated/graphql.js';
import { createTaskTree } from '../../helpers/factories.js';
import { RedisServer, eventually, untilStoreAnswers } from '../../helpers/redis-server.js';
import { startTestApi, type TestApi, type TestUser } from '../../helpers/test-api.js';

let redis: RedisServer;
let inspect: Redis;
let api: TestApi;
beforeAll(async () => {
  redis = await RedisServer.start();
  inspect = redis.client();
  api = await startTestApi({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '1000' });
  await untilStoreAnswers(api.cache.store);
});
afterAll(async () => {
  await api?.close();
  inspect?.disconnect();
  await redis?.stop();
});

interface GetOptions {
  readonly query?: string;
  readonly variables?: Record<string, unknown>;
  readonly sha256Hash?: string;
  readonly headers?: Record<string, string>;
}

/** GraphQL over GET, as a browser or a CDN-friendly client sends it. */
function get(server: TestApi, user: TestUser, options: GetOptions) {
  const query: Record<string, string> = {};
  if (options.query !== undefined) query.query = options.query;
  if (options.variables !== undefined) query.variables = JSON.stringify(options.variables);
  if (options.sha256Hash !== undefined) query.extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: options.sha256Hash } });
  return server.server.app.inject({
    method: 'GET',
    url: '/graphql',
    query,
    // Apollo's CSRF prevention wants a header a simple cross-site request cannot send.
    headers: { authorization: `Bearer ${user.token}`, 'apollo-require-preflight': 'true', ...options.headers },
  });
}

function post(server: TestApi, user: TestUser, payload: Record<string, unknown>) {
  return server.server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    payload,
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the response cache', () => {
  it('answers the second identical request from the cache: x-cache HIT, no SQL, the same body', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });

    const first = await api.execute(CacheTaskDocument, { id: taskId! }, { as: user });
    const { result: second, statements } = await api.recordSql(() => api.execute(CacheTaskDocument, { id: taskId! }, { as: user }));

    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT']);
    expect(statements).toEqual([]);
    expect(second.data).toEqual(first.data);
  });

  it('answers a GET whose If-None-Match is the cached response\'s ETag with 304 and no body', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    const request = { query: print(CacheTaskDocument), variables: { id: taskId } };

    const miss = await get(api, user, request);
    const hit = await get(api, user, request);
    const notModified = await get(api, user, { ...request, headers: { 'if-none-match': String(hit.headers.etag) } });
    const otherTag = await get(api, user, { ...request, headers: { 'if-none-match': '"something-else"' } });

    expect([miss.statusCode, miss.headers['x-cache']]).toEqual([200, 'MISS']);
    expect([hit.statusCode, hit.headers['x-cache']]).toEqual([200, 'HIT']);
    expect(hit.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.body).toBe(miss.body);
    expect([notModified.statusCode, notModified.body]).toEqual([304, '']);
    expect(notModified.headers.etag).toBe(hit.headers.etag);
    expect([otherTag.statusCode, otherTag.body]).toEqual([200, hit.body]);
  });

  it('marks a GET private, no-cache (the browser asks before every use), and a POST not at all', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    const request = { query: print(CacheTaskDocument), variables: { id: taskId } };

    const miss = await get(api, user, request);
    const hit = await get(api, user, request);
    const posted = await api.execute(CacheTaskDocument, { id: taskId! }, { as: user });

    expect(miss.headers['cache-control']).toBe('private, no-cache');
    expect(hit.headers['cache-control']).toBe('private, no-cache');
    expect(hit.headers.vary).toBe('accept-encoding, authorization');
    expect(posted.headers['x-cache']).toBe('HIT');
    expect(posted.headers['cache-control']).toBeUndefined();
  });

  it('lets a browser keep no GET answer past the viewer\'s own write: the revalidation after it answers the new data', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, status: 'pending' });
    const request = { query: print(CacheTaskDocument), variables: { id: taskId } };

    const first = await get(api, user, request);
    const unchanged = await get(api, user, { ...request, headers: { 'if-none-match': first.headers.etag as string } });
    const cancel = await api.execute(CacheCancelTaskDocument, { id: taskId! }, { as: user });
    const afterWrite = await get(api, user, { ...request, headers: { 'if-none-match': first.headers.etag as string } });

    expect(cancel.errors).toBeUndefined();
    // no-cache: the browser must send If-None-Match before using its copy; max-age would let it answer alone.
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(unchanged.statusCode).toBe(304);
    expect(afterWrite.statusCode).toBe(200);
    expect(afterWrite.headers.etag).not.toBe(first.headers.etag);
    expect(JSON.parse(afterWrite.body).data.task.status).toBe('CANCELLED');
  });

  it('tells a browser to keep no GET answer that has no ETag (an error)', async () => {
    const user = await api.createUser();
    const refused = await get(api, user, { query: '{ task(id: "not-a-uuid") { id } }' });

    expect(refused.headers.etag).toBeUndefined();
    expect(refused.headers['cache-control']).toBe('private, no-store');
  });

  it('sends the stored gzip of a large cached response to a client that accepts gzip, the same JSON once gunzipped', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 30 });
    const request = { query: print(CacheLargePageDocument), variables: { first: 30 } };

    const miss = await get(api, user, request);
    const plain = await get(api, user, request);
    const gzipped = await get(api, user, { ...request, headers: { 'accept-encoding': 'gzip' } });

    expect(miss.body.length).toBeGreaterThan(4_096);
    expect([plain.headers['x-cache'], plain.headers['content-encoding']]).toEqual(['HIT', undefined]);
    expect(plain.body).toBe(miss.body);
    expect([gzipped.headers['x-cache'], gzipped.headers['content-encoding']]).toEqual(['HIT', 'gzip']);
    expect(gzipped.rawPayload.length).toBeLessThan(miss.body.length / 2);
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(plain.body);
    expect(gzipped.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('is bypassed with CACHE_MODE=off: never a HIT, and a repeated read sends the same statements', async () => {
    const uncached = await api.startSibling({ CACHE_MODE: 'off' });
    try {
      const user = await uncached.createUser();
      await createTaskTree(uncached.db, user.id, { tasks: 3, scriptsPerTask: 1 });
      await uncached.execute(CacheViewerEmailDocument, {}, { as: user });

      const runs = [];
      for (let i = 0; i < 3; i += 1) runs.push(await uncached.recordSql(() => uncached.execute(CacheLargePageDocument, { first: 3 }, { as: user })));

      expect(runs.map((run) => run.result.headers['x-cache'])).toEqual(['MISS', 'MISS', 'MISS']);
      expect(runs[0]!.statements.length).toBeGreaterThan(0);
      expect(runs[1]!.statements).toEqual(runs[0]!.statements);
      expect(runs[2]!.statements).toEqual(runs[0]!.statements);
      expect(await inspect.keys(`*{${user.id}}*`)).toEqual([]);
    } finally {
      await uncached.close();
    }
  });
});

describe('automatic persisted queries', () => {
  it('registered through one instance are served by another by hash alone, and outlive the first', async () => {
    const first = await api.startSibling();
    const other = await api.startSibling();
    await untilStoreAnswers(first.cache.store);
    await untilStoreAnswers(other.cache.store);
    const user = await api.createUser();
    const someoneElse = await api.createUser();
    const query = `query CacheApqViewer { viewer { id email } }`;
    const sha256Hash = sha256(query);
    try {
      const registered = await post(first, user, { query, extensions: { persistedQuery: { version: 1, sha256Hash } } });
      expect(registered.json()).toEqual({ data: { viewer: { id: user.id, email: user.email } } });
      // Stored stripped of ignored characters (src/cache/persisted-queries.ts).
      await eventually('the registered document', async () => (await inspect.get(`pq:v2:apq:${sha256Hash}`)) === stripIgnoredCharacters(query));

      // Another viewer: no response of theirs is cached, so the document itself is fetched by hash.
      const byHash = await get(other, someoneElse, { sha256Hash });
      expect([byHash.statusCode, byHash.headers['x-cache']]).toEqual([200, 'MISS']);
      expect(byHash.json()).toEqual({ data: { viewer: { id: someoneElse.id, email: someoneElse.email } } });
    } finally {
      await first.close();
      await other.close();
    }

    const restarted = await api.startSibling();
    await untilStoreAnswers(restarted.cache.store);
    try {
      const third = await api.createUser();
      const afterRestart = await get(restarted, third, { sha256Hash });
      expect(afterRestart.json()).toEqual({ data: { viewer: { id: third.id, email: third.email } } });
    } finally {
      await restarted.close();
    }
  });

  it('refuse a hash that is not the document\'s, and store nothing', async () => {
    const user = await api.createUser();
    const query = `query CacheApqMismatch { viewer { id } }`;
    const wrongHash = sha256('another document');

    const refused = await post(api, user, { query, extensions: { persistedQuery: { version: 1, sha256Hash: wrongHash } } });

    expect(refused.statusCode).toBe(400);
    const { data, errors } = refused.json() as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(data).toBeUndefined();
    // Apollo gives this 400 no code of its own; formatError names it a bad request.
    expect(errors.map((error) => error.extensions.code)).toEqual(['BAD_REQUEST']);
    expect(await inspect.exists(`pq:v2:apq:${wrongHash}`, `pq:v2:apq:${sha256(query)}`)).toBe(0);
    expect(await inspect.keys(`api:v1:{${user.id}}:*`)).toEqual([]);
  });

  it('execute a document over 16 KiB once stripped (PERSISTED_QUERY_MAX_BYTES) but do not register it', async () => {
    const user = await api.createUser();
    const query = `query CacheApqLarge { viewer { id } __type(name: "${'x'.repeat(17 * 1024)}") { name } }`;
    const sha256Hash = sha256(query);

    const executed = await post(api, user, { query, extensions: { persistedQuery: { version: 1, sha256Hash } } });
    const byHash = await get(api, await api.createUser(), { sha256Hash });

    expect(executed.json()).toEqual({ data: { viewer: { id: user.id }, __type: null } });
    expect(await inspect.exists(`pq:v2:apq:${sha256Hash}`)).toBe(0);
    expect(byHash.json().errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});
