// @requires redis-server
// @requires redis-cli
import { createHash, randomBytes } from 'node:crypto';
import { stripIgnoredCharacters } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLimiter } from '../helpers/recording-limiter.js';
import { eventually, startRedisBackend, untilStoreAnswers, type RedisBackend } from '../helpers/redis-server.js';
import { startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

/**
 * Issue 10, item 2: `{ __typename } # <32,000 random characters>` registered
 * 32 KB for 30 days, for anyone, at 1 unit. Now only signed-in viewers
 * register, documents are kept stripped of ignored text, each viewer has an
 * hourly allowance, and the documents live in a keyspace (or an LRU) of their own.
 */
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The review's document: one field, and 32,000 characters of comment. */
const padded = () => `{ __typename } # ${randomBytes(24_000).toString('base64')}`;

async function send(api: TestApi, params: { query?: string; hash: string }, as?: TestUser) {
  const response = await api.server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${as.token}` } : {}) },
    payload: { ...(params.query === undefined ? {} : { query: params.query }), extensions: { persistedQuery: { version: 1, sha256Hash: params.hash } } },
  });
  const body = response.json() as { data?: unknown; errors?: { extensions: { code: string } }[] };
  return { status: response.statusCode, data: body.data, codes: body.errors?.map((error) => error.extensions.code) };
}

/** What a client sending the hash alone gets: the document's answer, or PERSISTED_QUERY_NOT_FOUND. */
const byHash = (api: TestApi, hash: string, as?: TestUser) => send(api, { hash }, as);

describe('persisted queries, in process', () => {
  let api: TestApi;
  const ledger = recordingLimiter();
  beforeAll(async () => {
    api = await startTestApi({}, { rateLimiter: ledger.limiter });
  });
  afterAll(() => api.close());

  it('run an anonymous client’s hash and document without storing them: the hash alone stays PERSISTED_QUERY_NOT_FOUND', async () => {
    const query = padded();
    const hash = sha256(query);

    const registering = await send(api, { query, hash });

    expect([registering.status, registering.data]).toEqual([200, { __typename: 'Query' }]);
    expect((await byHash(api, hash)).codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('keep a viewer’s document stripped of comments (32,000 characters of comment cost 1 KiB of allowance) in a store of their own', async () => {
    const viewer = await api.createUser();
    const query = padded();
    const hash = sha256(query);

    await send(api, { query, hash }, viewer);

    expect(await byHash(api, hash)).toEqual({ status: 200, data: { __typename: 'Query' }, codes: undefined });
    expect(ledger.spent({ kind: 'registrations', id: viewer.id })).toBe(1);
    // Not in the cache's own LRU, where it would push out entries and fences.
    expect(await api.cache.store.mget([`pq:v2:apq:${hash}`, `pq:v1:apq:${hash}`])).toEqual([null, null]);
  });

  it('run a document larger than PERSISTED_QUERY_MAX_BYTES once stripped, and do not store it', async () => {
    const strict = await api.startSibling({ PERSISTED_QUERY_MAX_BYTES: '256' });
    try {
      const viewer = await strict.createUser();
      const query = `{ __type(name: "${'T'.repeat(300)}") { name } }`;
      const hash = sha256(query);

      const registering = await send(strict, { query, hash }, viewer);

      expect(registering.data).toEqual({ __type: null });
      expect((await byHash(strict, hash)).codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    } finally {
      await strict.close();
    }
  });

  it('stop registering a viewer’s documents past PERSISTED_QUERY_KIB_PER_HOUR: they still run, and another viewer still registers', async () => {
    const allowance = recordingLimiter({ registrationKibPerHour: 2 });
    const strict = await api.startSibling({}, { rateLimiter: allowance.limiter });
    try {
      const [greedy, other] = [await strict.createUser(), await strict.createUser()];
      const documents = [1, 2, 3].map((n) => `query Quota${n} { __typename }`);

      const answers = [];
      for (const query of documents) answers.push(await send(strict, { query, hash: sha256(query) }, greedy));
      const others = 'query QuotaOther { __typename }';
      await send(strict, { query: others, hash: sha256(others) }, other);

      expect(answers.map((answer) => answer.data)).toEqual(Array(3).fill({ __typename: 'Query' }));
      const stored = await Promise.all([...documents, others].map(async (query) => (await byHash(strict, sha256(query))).codes === undefined));
      expect(stored).toEqual([true, true, false, true]);
      expect(allowance.spent({ kind: 'registrations', id: greedy.id })).toBe(2);
    } finally {
      await strict.close();
    }
  });
});

describe('persisted queries, on Redis', () => {
  let backend: RedisBackend;
  let api: TestApi;
  beforeAll(async () => {
    backend = await startRedisBackend('redis');
    api = await startTestApi({ ...backend.env, REDIS_COMMAND_TIMEOUT_MS: '1000' });
    await untilStoreAnswers(api.cache.store);
  });
  afterAll(async () => {
    await api?.close();
    await backend?.stop();
  });

  it('store a viewer’s document stripped under pq:v2:apq:<sha256> for the day tier, 86,400 s', async () => {
    const viewer = await api.createUser();
    const query = padded();
    const hash = sha256(query);

    await send(api, { query, hash }, viewer);

    const key = `pq:v2:apq:${hash}`;
    expect(await backend.client.get(key)).toBe(stripIgnoredCharacters(query));
    expect(await backend.client.get(key)).toBe('{__typename}');
    const ttlMs = await backend.client.pttl(key);
    expect(ttlMs).toBeGreaterThan(86_400_000 - 5_000);
    expect(ttlMs).toBeLessThanOrEqual(86_400_000);
  });

  it('store nothing for an anonymous client', async () => {
    const query = padded();
    const hash = sha256(query);

    const registering = await send(api, { query, hash });

    expect(registering.data).toEqual({ __typename: 'Query' });
    expect(await backend.keys(`pq:*${hash}`)).toEqual([]);
  });

  it('restart a document’s TTL when it is used (CACHE_TTL_DAY_S=10: refreshed at most every 10/24 s)', async () => {
    const shortDay = await api.startSibling({ CACHE_TTL_DAY_S: '10' });
    try {
      await untilStoreAnswers(shortDay.cache.store);
      const viewer = await shortDay.createUser();
      const query = `query SlidingTtl { __typename } # ${Date.now()}`;
      const key = `pq:v2:apq:${sha256(query)}`;
      await send(shortDay, { query, hash: sha256(query) }, viewer);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await backend.client.pttl(key)).toBeLessThan(8_600);

      expect((await byHash(shortDay, sha256(query))).data).toEqual({ __typename: 'Query' });

      await eventually('the TTL restarted', async () => (await backend.client.pttl(key)) > 9_000);
    } finally {
      await shortDay.close();
    }
  });
});
