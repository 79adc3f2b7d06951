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
