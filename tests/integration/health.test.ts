import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lifecycle } from '../../src/resilience/lifecycle.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';

let api: TestApi;
const lifecycle = new Lifecycle();
beforeAll(async () => {
  api = await startTestApi({}, { lifecycle });
});
afterAll(() => api.close());

const get = (url: string) => api.server.app.inject({ method: 'GET', url });

describe('health probes', () => {
  it('answer liveness without asking anything outside the process, and readiness after asking the database', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'up', cache: 'up' });
  });

  it('ask the database at most once a second, however many probes arrive and however they overlap', async () => {
    await delay(1_100); // whatever the previous test checked is now too old to answer with
    const startedAt = performance.now();
    const { result: answers, statements } = await api.recordSql(async () => {
      const concurrent = await Promise.all(Array.from({ length: 20 }, () => get('/readyz')));
      const sequential = [];
      for (let i = 0; i < 20; i++) sequential.push(await get('/readyz'));
      return [...concurrent, ...sequential];
    });
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(40).fill(200));
    // One statement per started second (one in all unless this machine is slower than 40 probes a second).
    expect(statements.length).toBeLessThanOrEqual(Math.ceil((performance.now() - startedAt) / 1_000));

    await delay(1_100);
    const { statements: later } = await api.recordSql(() => get('/readyz'));
    expect(later).toHaveLength(1);
  });

  it('turn readiness to 503 "draining" once shutdown starts, keep liveness, and close every connection after its answer', async () => {
    lifecycle.startDraining();
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'draining' });
    const live = await get('/healthz');
    expect(live.statusCode).toBe(200);
    expect(live.headers.connection).toBe('close');
  });
});
