import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsListener } from '../../src/observability/metrics-endpoint.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { TasksTaskByIdDocument } from '../generated/graphql.js';
import { createTaskTree } from '../helpers/factories.js';
import { parseSamples, scrapeMetrics, type Scrape } from '../helpers/metrics-scrape.js';
import { startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

let api: TestApi;
let user: TestUser;
let taskId: string;
beforeAll(async () => {
  api = await startTestApi();
  user = await api.createUser();
  [taskId] = (await createTaskTree(api.db, user.id, { tasks: 1 })) as [string];
});
afterAll(() => api.close());

const DURATION_COUNT = 'graphql_request_duration_seconds_count';
/** The operation labels the server writes itself. */
const RESERVED = ['unknown', 'anonymous', 'other'];

/** A POST /graphql with a raw body, for requests the typed operations cannot express. */
function post(body: unknown, headers: Record<string, string> = {}) {
  return api.server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}`, ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('GET /metrics', () => {
  it('answers the Prometheus text format with Node default metrics and the pool gauges', async () => {
    const scrape = await scrapeMetrics(api);

    expect(scrape.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds']) {
      expect(scrape.has(name), name).toBe(true);
    }
    for (const state of ['total', 'idle', 'waiting']) {
      expect(scrape.has('db_pool_connections', { state }), state).toBe(true);
    }
    expect(scrape.sum('db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(scrape.sum('db_pool_connections', { state: 'waiting' })).toBe(0);
  });

  it('counts each GraphQL request under its operation name, with the SQL it sent', async () => {
    const before = await scrapeMetrics(api);
    const { statements } = await api.recordSql(async () => {
      for (let i = 0; i < 3; i++) {
        const response = await api.execute(TasksTaskByIdDocument, { id: taskId }, { as: user });
        expect(response.data?.task?.id).toBe(taskId);
      }
    });
    const after = await scrapeMetrics(api);
    const grew = (name: string, labels: Record<string, string> = {}) => after.sum(name, labels) - before.sum(name, labels);

    const operation = { operation: 'TasksTaskById' };
    expect(grew(DURATION_COUNT, { ...operation, outcome: 'ok' })).toBe(3);
    expect(grew(DURATION_COUNT, { ...operation, outcome: 'error' })).toBe(0);
    expect(grew('graphql_request_duration_seconds_sum', operation)).toBeGreaterThan(0);
    expect(grew('graphql_operation_sql_statements_count', operation)).toBe(3);
    expect(grew('graphql_operation_sql_statements_sum', operation)).toBe(statements.length);
    expect(statements.length).toBeGreaterThan(0);
    expect(grew('sql_statements_total')).toBe(statements.length);
    expect(grew('sql_statements_total', { outcome: 'ok' })).toBe(statements.length);
    expect(grew('sql_statement_duration_seconds_count')).toBe(statements.length);
  });

  it('labels errors, anonymous operations and requests that never resolve an operation', async () => {
    const before = await scrapeMetrics(api);

    // Resolved, but answered with UNAUTHENTICATED: an error, under "other" (an anonymous client's name is not trusted).
    expect((await api.execute(TasksTaskByIdDocument, { id: taskId })).errors).toBeDefined();
    expect((await post({ query: '{ viewer { id } }' })).statusCode).toBe(200);
    expect((await post({ query: '{ viewer {' })).statusCode).toBe(400);
    expect((await post({ query: '{ viewer { id } }' }, { authorization: 'Bearer not-a-token' })).statusCode).toBe(401);

    const after = await scrapeMetrics(api);
    const grew = (labels: Record<string, string>) => after.sum(DURATION_COUNT, labels) - before.sum(DURATION_COUNT, labels);
    expect(grew({ operation: 'TasksTaskById', outcome: 'error' })).toBe(0);
    expect(grew({ operation: 'other', outcome: 'error' })).toBe(1);
    expect(grew({ operation: 'anonymous', outcome: 'ok' })).toBe(1);
    expect(grew({ operation: 'unknown', outcome: 'error' })).toBe(2);
    expect(grew({})).toBe(4);
  });

  it('does not count Sandbox page views or its own scrapes as GraphQL requests', async () => {
    const before = await scrapeMetrics(api);
    const page = await api.server.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    const after = await scrapeMetrics(api);
    expect(after.sum(DURATION_COUNT) - before.sum(DURATION_COUNT)).toBe(0);
  });

  it('labels the names of signed-in viewers only: anonymous clients\' names all land in "other"', async () => {
    const before = await scrapeMetrics(api);
    const anonymousNames = Array.from({ length: 30 }, (_, i) => `Anonymous${i}`);
    for (const name of anonymousNames) {
      expect((await post({ query: `query ${name} { __typename }` }, { authorization: '' })).statusCode).toBe(200);
    }
    expect((await post({ query: 'query SignedIn { __typename }' })).statusCode).toBe(200);

    const after = await scrapeMetrics(api);
    for (const name of anonymousNames) expect(after.has(DURATION_COUNT, { operation: name }), name).toBe(false);
    expect(after.sum(DURATION_COUNT, { operation: 'other', outcome: 'ok' }) - before.sum(DURATION_COUNT, { operation: 'other', outcome: 'ok' })).toBe(30);
    expect(after.sum(DURATION_COUNT, { operation: 'SignedIn', outcome: 'ok' })).toBe(1);
  });

  it('keeps at most 200 operation names apart and counts the rest as "other"', async () => {
    const clientNames = (scrape: Scrape) =>
      new Set(scrape.samples.filter((s) => s.name === DURATION_COUNT && !RESERVED.includes(s.labels.operation!)).map((s) => s.labels.operation));
    const before = await scrapeMetrics(api);
    const namesBefore = clientNames(before).size;

    const names = Array.from({ length: 205 }, (_, i) => `Bulk${i}`);
    for (const name of names) {
      expect((await post({ query: `query ${name} { viewer { id } }` })).statusCode).toBe(200);
    }

    const after = await scrapeMetrics(api);
    expect(clientNames(after).size).toBe(200);
    const overflow = names.length - (200 - namesBefore);
    expect(after.sum(DURATION_COUNT, { operation: 'other' }) - before.sum(DURATION_COUNT, { operation: 'other' })).toBe(overflow);
  });
});

describe('who may read GET /metrics', () => {
  const TOKEN = 'metrics-token-for-the-test-0123';
  const scrape = (target: TestApi, authorization?: string) =>
    target.server.app.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } });

  it('with METRICS_TOKEN, answers only `Authorization: Bearer <token>`, and 401 to anyone else', async () => {
    const guarded = await api.startSibling({ METRICS_TOKEN: TOKEN });
    try {
      for (const authorization of [undefined, 'Bearer wrong-token-of-some-length', `Bearer ${TOKEN}x`, TOKEN, `Bearer ${user.token}`]) {
        const refused = await scrape(guarded, authorization);
        expect(refused.statusCode, String(authorization)).toBe(401);
        expect(refused.body).not.toContain('process_cpu_user_seconds_total');
      }
      const allowed = await scrape(guarded, `Bearer ${TOKEN}`);
      expect(allowed.statusCode).toBe(200);
      expect(allowed.body).toContain('process_cpu_user_seconds_total');
    } finally {
      await guarded.close();
    }
  });

  it('with METRICS_PORT, answers 404 on the API listener and serves them on a listener of their own', async () => {
    const metrics = createMetrics();
    const moved = await api.startSibling({ METRICS_PORT: '0' }, { metrics });
    const listener = await startMetricsListener(metrics, moved.config.metrics.listener!, pino({ level: 'silent' }));
    try {
      expect((await scrape(moved)).statusCode).toBe(404);
      expect((await moved.execute(TasksTaskByIdDocument, { id: taskId }, { as: user })).data?.task?.id).toBe(taskId);

      const served = await fetch(`${listener.address}/metrics`);
      expect(served.status).toBe(200);
      const samples = parseSamples(await served.text());
      expect(samples.find((s) => s.name === DURATION_COUNT && s.labels.operation === 'TasksTaskById')?.value).toBe(1);
      // The listener serves metrics and nothing else.
      expect((await fetch(`${listener.address}/graphql`, { method: 'POST' })).status).toBe(404);
    } finally {
      await listener.close();
      await moved.close();
    }
  });
});
