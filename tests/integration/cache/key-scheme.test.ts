// @requires redis-server
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createRateLimiter, type RateLimiter } from '../../../src/resilience/rate-limiter.js';
import { connectRateLimitRedis } from '../../../src/resilience/redis-client.js';
import {
  CacheConversationDocument,
  CacheConversationsDocument,
  CacheCreateTaskDocument,
  CachePostMessageDocument,
  CacheTaskOptionsDocument,
  CacheTaskTreeDocument,
  CacheViewerEmailDocument,
} from '../../generated/graphql.js';
import { createConversations, createTaskTree } from '../../helpers/factories.js';
import { RedisServer, eventually, untilStoreAnswers } from '../../helpers/redis-server.js';
import { startTestApi, type TestApi } from '../../helpers/test-api.js';

/** The key scheme: `{namespace}:v{version}:…`, one prefix rule for every key the API writes. */
const SCHEME = /^[a-z-]+:v\d+:/;

/** The keys a command written to Redis names (MONITOR's view): SET, DEL, and the rate limiter's scripts. */
function writtenKeys(args: readonly string[]): string[] {
  const [name, ...rest] = args;
  switch (name?.toLowerCase()) {
    case 'set':
    case 'pexpire':
      return [rest[0]!];
    case 'del':
    case 'unlink':
      return rest;
    case 'eval':
    case 'evalsha':
      return rest.slice(2, 2 + Number(rest[1]));
    default:
      return [];
  }
}

describe('every key the API writes to Redis', () => {
  let redis: RedisServer;
  let monitor: Redis;
  let limiter: RateLimiter;
  let api: TestApi;
  const written: string[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '1000' };
    const config = loadConfig({ NODE_ENV: 'test', ...env });
    limiter = createRateLimiter(config.rateLimit, { redis: connectRateLimitRedis(config.cache) });
    api = await startTestApi(env, { rateLimiter: limiter });
    await untilStoreAnswers(api.cache.store);
    monitor = await redis.client().monitor();
    monitor.on('monitor', (_time: string, args: string[]) => written.push(...writtenKeys(args)));
  });
  afterAll(async () => {
    monitor?.disconnect();
    await api?.close();
    await limiter?.close();
    await redis?.stop();
  });

  it('follows {namespace}:v{version}: entries, responses, fences, leases, persisted queries and rate limits alike', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 3 });
    const [conversationId] = await createConversations(api.db, user.id, { conversations: 2, messagesPerConversation: 3, taskId });
    const as = { as: user };

    // Reads (entries, lists, responses, leases), twice: misses then hits.
    for (let round = 0; round < 2; round += 1) {
      await api.execute(CacheTaskTreeDocument, { first: 3 }, as);
      await api.execute(CacheTaskOptionsDocument, { id: taskId! }, as);
      await api.execute(CacheConversationsDocument, { first: 2 }, as);
      await api.execute(CacheConversationDocument, { id: conversationId!, last: 3 }, as);
      await api.execute(CacheViewerEmailDocument, {}, as);
    }
    // Writes (fences).
    const created = await api.execute(CacheCreateTaskDocument, { input: { topic: 'Key scheme' } }, as);
    const posted = await api.execute(CachePostMessageDocument, { input: { conversationId: conversationId!, role: 'USER', content: 'Hi' } }, as);
    // A persisted query registered by a signed-in viewer.
    const query = 'query KeySchemePersisted { viewer { id } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    await api.server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      payload: { query, extensions: { persistedQuery: { version: 1, sha256Hash } } },
    });
    await eventually('the persisted query to be registered', async () => (await scan(redis, `*${sha256Hash}*`)).length === 1);

    expect(created.errors).toBeUndefined();
    expect(posted.errors).toBeUndefined();
    const keys = await scan(redis, '*');
    const kinds = new Set([...keys, ...written].map((key) => key.split(':')[0]));
    // The workload reached every kind of key, so that the rule below covers them all.
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['api', 'fence', 'lease', 'pq', 'rate-limit', 'tasks', 'conversations', 'messages']));
    expect(keys.filter((key) => !SCHEME.test(key))).toEqual([]);
    expect(written.filter((key) => !SCHEME.test(key))).toEqual([]);
  });
});

async function scan(redis: RedisServer, pattern: string): Promise<string[]> {
  const client = redis.client();
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  } finally {
    client.disconnect();
  }
}
