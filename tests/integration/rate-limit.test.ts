import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskTree } from '../helpers/factories.js';
import { scrapeMetrics } from '../helpers/metrics-scrape.js';
import { startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

/** Budgets small enough to spend in a test: 50 cost units per viewer, 2 per IP, per minute. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ RATE_LIMIT_POINTS: '50', RATE_LIMIT_ANONYMOUS_POINTS: '2', RATE_LIMIT_WINDOW_S: '60' });
});
afterAll(() => api.close());

interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly code: unknown;
  readonly extensions: Record<string, unknown> | undefined;
}

function post(query: string, options: { as?: TestUser; token?: string; ip?: string } = {}): Promise<Answer> {
  return postBody(JSON.stringify({ query }), options);
}

async function postBody(payload: string, options: { as?: TestUser; token?: string; ip?: string } = {}): Promise<Answer> {
  const token = options.token ?? options.as?.token;
  const response = await api.server.app.inject({
    method: 'POST',
    url: '/graphql',
    remoteAddress: options.ip ?? '127.0.0.1',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload,
  });
  const body = response.json() as { errors?: { extensions?: Record<string, unknown> }[] };
  const retryAfter = response.headers['retry-after'];
  return {
    status: response.statusCode,
    retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
    code: body.errors?.[0]?.extensions?.code,
    extensions: body.errors?.[0]?.extensions,
  };
}

const CHEAP = '{ viewer { id } }'; // cost 1
/** Cost 1 + 20 x 1 = 21; the alias makes each a document of its own, so no response cache answers it. */
const page = (alias: string) => `{ ${alias}: tasks(first: 20) { nodes { id } } }`;

describe('rate limits', () => {
  it('refuse a viewer past its budget with RATE_LIMITED, HTTP 429, Retry-After and extensions.retryAfter', async () => {
    const user = await api.createUser();
    for (let i = 0; i < 50; i++) expect((await post(CHEAP, { as: user })).status).toBe(200);

    const refused = await post(CHEAP, { as: user });
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('RATE_LIMITED');
    const seconds = Number(refused.retryAfter);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(refused.extensions?.retryAfter).toBe(seconds);
  });

  it('count each viewer apart: one client past its budget leaves the others untouched', async () => {
    const [greedy, other] = [await api.createUser(), await api.createUser()];
    for (let i = 0; i < 51; i++) await post(CHEAP, { as: greedy });
    expect((await post(CHEAP, { as: greedy })).status).toBe(429);
    expect((await post(CHEAP, { as: other })).status).toBe(200);
  });

  it('charge what a query costs: pages of 20 tasks (21 units each) spend the 50 units in three requests', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 3 });
    // 1 unit up front, the other 20 once the page is answered: 21, 42, then 43 + 20 = 63.
    for (let i = 0; i < 3; i++) expect((await post(page(`page${i}`), { as: user })).status).toBe(200);
    expect((await post(CHEAP, { as: user })).code).toBe('RATE_LIMITED');
  });

  it('charge 1 unit for a response the response cache answers: it runs no resolver and no SQL', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 3 });
    // 21 for the first, 1 for each of the 19 answered from the cache: 40 of 50.
    for (let i = 0; i < 20; i++) expect((await post(page('cached'), { as: user })).status).toBe(200);
  });

  it('count requests without a valid token against their IP', async () => {
    const ip = '10.0.0.1';
    expect((await post('{ __typename }', { ip })).status).toBe(200);
    // A bad token is answered 401 and still spends the IP's budget: a flood of them ends in 429s.
    expect((await post('{ __typename }', { ip, token: 'not-a-jwt' })).status).toBe(401);
    const refused = await post('{ __typename }', { ip });
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('RATE_LIMITED');
    expect((await post('{ __typename }', { ip: '10.0.0.2' })).status).toBe(200);
  });

  it('charge a large body by its bytes when it is admitted: 5 KB of variables spend the 50 units at once', async () => {
    const user = await api.createUser();
    // Past the free first KiB, a unit per 64 bytes (src/limits/request-charge.ts): about 65 units.
    const padded = await postBody(JSON.stringify({ query: CHEAP, variables: { pad: 'x'.repeat(5_000) } }), { as: user });
    expect(padded.status).toBe(200);
    expect((await post(CHEAP, { as: user })).code).toBe('RATE_LIMITED');
  });

  it('refuse a client whose budget is spent before reading its body: a body that is not even JSON is answered 429', async () => {
    const user = await api.createUser();
    for (let i = 0; i < 51; i++) await post(CHEAP, { as: user });
    expect((await post(CHEAP, { as: user })).status).toBe(429);
    // Read, this body would be refused as malformed JSON (400); refused first, it is never read.
    const unread = await postBody('{"query": "{ viewer { id } }"', { as: user });
    expect(unread.status).toBe(429);
    expect(unread.code).toBe('RATE_LIMITED');
    expect(Number(unread.retryAfter)).toBeGreaterThanOrEqual(1);
    // Another viewer is not refused for it: its malformed body is read and refused as such (400).
    expect((await postBody('{"query": "{ viewer { id } }"', { as: await api.createUser() })).status).toBe(400);
    expect((await post(CHEAP, { as: await api.createUser() })).status).toBe(200);
  });

  it('count each refusal in rate_limit_rejections_total under the budget that refused it', async () => {
    const before = await scrapeMetrics(api);
    await post('{ __typename }', { ip: '10.0.0.3' });
    await post('{ __typename }', { ip: '10.0.0.3' });
    await post('{ __typename }', { ip: '10.0.0.3' });
    await post('{ __typename }', { ip: '10.0.0.3' });
    const after = await scrapeMetrics(api);
    expect(after.sum('rate_limit_rejections_total', { reason: 'ip' }) - before.sum('rate_limit_rejections_total', { reason: 'ip' })).toBe(2);
  });
});
