import { setTimeout as sleep } from 'node:timers/promises';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../src/cache/store.js';
import { bodyUnits, CACHED_ANSWER_UNITS, EXECUTED_UNITS, SQL_STATEMENT_UNITS } from '../../src/limits/request-charge.js';
import { WRITE_ROW_COST } from '../../src/limits/weights.js';
import type { RateLimiter, RateSubject } from '../../src/resilience/rate-limiter.js';
import { createTaskTree } from '../helpers/factories.js';
import { startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

// Issue 10, item 5: writes pay by the rows they write, and a viewer's cache space is bounded.

/** Records every unit each viewer is charged; never refuses. */
class RecordingLimiter implements RateLimiter {
  readonly spent = new Map<string, number>();
  async consume(subject: RateSubject, points: number) {
    this.add(subject, points);
    return { allowed: true as const };
  }
  async charge(subject: RateSubject, points: number) {
    this.add(subject, points);
  }
  async close() {}
  private add(subject: RateSubject, points: number) {
    const key = subject.kind === 'ip' ? subject.ip : subject.id;
    this.spent.set(key, (this.spent.get(key) ?? 0) + points);
  }
}

const QUOTA_KB = 16;
const limiter = new RecordingLimiter();
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ CACHE_VIEWER_QUOTA_KB: String(QUOTA_KB) }, { rateLimiter: limiter });
});
afterAll(() => api.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const doc = (text: string) => parse(text) as TypedDocumentNode<any, Record<string, unknown>>;

/** What the viewer was charged for one request, and the SQL statements it sent: the whole charge is in before the answer leaves (onSend). */
async function chargedFor(user: TestUser, text: string, variables: Record<string, unknown> = {}): Promise<{ units: number; statements: number }> {
  const before = limiter.spent.get(user.id) ?? 0;
  const { result: answer, statements } = await api.recordSql(() => api.execute(doc(text), variables, { as: user }));
  expect(answer.errors).toBeUndefined();
  return { units: (limiter.spent.get(user.id) ?? 0) - before, statements: statements.length };
}

/**
 * Besides its cost, every request pays for its body past a KiB, and for
 * parsing and validating a document Apollo has not seen
 * (src/limits/request-charge.ts): each document is sent once first, so only
 * its bytes remain.
 */
const bodyUnitsOf = (text: string, variables: Record<string, unknown>) => bodyUnits(Buffer.byteLength(JSON.stringify({ query: print(doc(text)), variables })));

describe('writes are charged by the rows they write', () => {
  const CREATE_TASKS = 'mutation ($inputs: [CreateTaskInput!]!) { createTasks(inputs: $inputs) { id } }';

  it(`charges a 500-item createTasks 2,500 units (${WRITE_ROW_COST} per row written, 1 per task answered) and each statement it sent, no longer 20`, async () => {
    const user = await api.createUser();
    await chargedFor(user, CREATE_TASKS, { inputs: [{ topic: 'Warm-up' }] });
    const inputs = Array.from({ length: 500 }, (_, i) => ({ topic: `Batch ${i}` }));

    const { units, statements } = await chargedFor(user, CREATE_TASKS, { inputs });

    expect(WRITE_ROW_COST).toBe(4);
    expect(statements).toBeGreaterThan(0);
    expect(units).toBe(500 * 4 + 500 + bodyUnitsOf(CREATE_TASKS, { inputs }) + EXECUTED_UNITS + statements * SQL_STATEMENT_UNITS);
  });

  it('charges a single createTask 5 units, its run and its statements, and a read of the viewer answered by the response cache its lookup', async () => {
    const user = await api.createUser();
    const [createTask, viewer] = ['mutation { createTask(input: { topic: "One" }) { id } }', '{ viewer { id } }'];
    await chargedFor(user, createTask);
    await chargedFor(user, viewer);

    const write = await chargedFor(user, createTask);
    // The write pays its run through Apollo and its SQL (src/limits/request-charge.ts); the read, answered by the response cache, runs nothing.
    expect(write.units).toBe(4 + 1 + EXECUTED_UNITS + write.statements * SQL_STATEMENT_UNITS);
    expect(await chargedFor(user, viewer)).toEqual({ units: 1 + CACHED_ANSWER_UNITS, statements: 0 });
  });
});

describe('each viewer may store at most CACHE_VIEWER_QUOTA_KB a minute in the cache', () => {
  /** Bytes of entries and responses written in `user`'s scope while it reads 80 distinct pages (keys included). */
  async function bytesStoredReading80Pages(server: TestApi, user: TestUser): Promise<number> {
    const store = server.cache.store;
    const write = store.write.bind(store);
    let bytes = 0;
    store.write = async (entries: readonly CacheEntry[], remove?: readonly string[]) => {
      for (const entry of entries) if (entry.key.includes(user.id) && !entry.key.includes('fence')) bytes += entry.key.length + entry.value.length;
      return write(entries, remove);
    };
    try {
      for (let offset = 0; offset < 80; offset++) {
        const answer = await server.execute(doc('query ($offset: Int) { tasks(first: 5, offset: $offset) { nodes { id topic } } }'), { offset }, { as: user });
        expect(answer.errors).toBeUndefined();
        expect(answer.data.tasks.nodes).toHaveLength(5);
      }
      // Responses are stored after they are sent.
      await sleep(50);
    } finally {
      store.write = write;
    }
    return bytes;
  }

  it('stores no more than the quota however many distinct pages a viewer reads, and still answers them', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 100 });

    const stored = await bytesStoredReading80Pages(api, user);

    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThanOrEqual(QUOTA_KB * 1024);
  });

  it('is what holds: without a quota the same pages store several times as much', async () => {
    const unbounded = await api.startSibling({ CACHE_VIEWER_QUOTA_KB: '1048576' });
    try {
      const user = await unbounded.createUser();
      await createTaskTree(unbounded.db, user.id, { tasks: 100 });

      expect(await bytesStoredReading80Pages(unbounded, user)).toBeGreaterThan(3 * QUOTA_KB * 1024);
    } finally {
      await unbounded.close();
    }
  });
});
