import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHED_ANSWER_UNITS, EXECUTED_UNITS, SQL_STATEMENT_UNITS, STORED_ANSWER_UNITS } from '../../src/limits/request-charge.js';
import { DEFAULT_EXPENSIVE_IN_FLIGHT as EXPENSIVE_IN_FLIGHT } from '../../src/config.js';
import { createTaskTree } from '../helpers/factories.js';
import { scrapeMetrics } from '../helpers/metrics-scrape.js';
import { recordingLimiter } from '../helpers/recording-limiter.js';
import { startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

/**
 * A request Apollo runs pays its cost, its run, its SQL statements and the
 * response cache's store of its answer (src/limits/request-charge.ts):
 * `{ viewer { id } }` sends no statement (the viewer is the token's), 1 + 50 + 80.
 */
const CHEAP_UNITS = 1 + EXECUTED_UNITS + STORED_ANSWER_UNITS;
/** Without a token nothing is stored: `{ __typename }` 1 + 50. */
const ANONYMOUS_UNITS = 1 + EXECUTED_UNITS;
/** A page of 10 tasks the data cache holds: its cost, its run and its store; its statement, when the data cache misses, 100 more. */
const PAGE_UNITS = 11 + EXECUTED_UNITS + STORED_ANSWER_UNITS;
/** A viewer's first page: the viewer's check and the page are two statements. */
const FIRST_PAGE_UNITS = PAGE_UNITS + 2 * SQL_STATEMENT_UNITS;
/** Budgets small enough to spend in a test: ten cheap reads per viewer and the viewer's check on its first (a statement), 1,410 units; one per IP (and a unit); per minute. */
const POINTS = 10 * CHEAP_UNITS + SQL_STATEMENT_UNITS;
const ANONYMOUS_POINTS = ANONYMOUS_UNITS + 1;
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ RATE_LIMIT_POINTS: String(POINTS), RATE_LIMIT_ANONYMOUS_POINTS: String(ANONYMOUS_POINTS), RATE_LIMIT_WINDOW_S: '60' });
});
afterAll(() => api.close());

interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly code: unknown;
  readonly extensions: Record<string, unknown> | undefined;
}

interface PostOptions {
  readonly as?: TestUser;
  readonly token?: string;
  readonly ip?: string;
  readonly to?: TestApi;
}

function post(query: string, options: PostOptions = {}): Promise<Answer> {
  return postBody(JSON.stringify({ query }), options);
}

async function postBody(payload: string, options: PostOptions = {}): Promise<Answer> {
  const token = options.token ?? options.as?.token;
  const response = await (options.to ?? api).server.app.inject({
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
let distinct = 0;
/** CHEAP under a new alias each time: a document of its own, so that no response cache answers it (that costs 1). */
const cheap = () => `{ v${distinct++}: viewer { id } }`;
/** The same for a client without a token. */
const anon = () => `{ t${distinct++}: __typename }`;
/** Cost 1 + 10 x 1 = 11; the alias makes each a document of its own, so no response cache answers it. */
const page = (alias: string) => `{ ${alias}: tasks(first: 10) { nodes { id } } }`;

describe('rate limits', () => {
  it('refuse a viewer past its budget with RATE_LIMITED, HTTP 429, Retry-After and extensions.retryAfter', async () => {
    const user = await api.createUser();
    for (let i = 0; i < 10; i++) expect((await post(cheap(), { as: user })).status).toBe(200);

    const refused = await post(cheap(), { as: user });
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('RATE_LIMITED');
    const seconds = Number(refused.retryAfter);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(refused.extensions?.retryAfter).toBe(seconds);
  });

  it('count each viewer apart: one client past its budget leaves the others untouched', async () => {
    const [greedy, other] = [await api.createUser(), await api.createUser()];
    for (let i = 0; i < 11; i++) await post(cheap(), { as: greedy });
    expect((await post(cheap(), { as: greedy })).status).toBe(429);
    expect((await post(cheap(), { as: other })).status).toBe(200);
  });

  it('charge what a query costs, its run, its statements and its store: pages of 10 tasks (11 + 50 + 80 units each, the first 200 more for two statements) spend the 1,410 units in nine requests', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 3 });
    // 1 unit up front, the rest before the page is answered: 8 pages are 341 + 7 x 141 = 1,328, the 9th is admitted at 1,329 and ends at 1,469.
    expect([FIRST_PAGE_UNITS, PAGE_UNITS]).toEqual([341, 141]);
    for (let i = 0; i < 9; i++) expect((await post(page(`page${i}`), { as: user })).status).toBe(200);
    expect((await post(cheap(), { as: user })).code).toBe('RATE_LIMITED');
  });

  it('charge 1 + 30 units for a response the response cache answers: it runs no resolver and no SQL, only the lookup and the send', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 3 });
    // 341 for the first (two statements), 31 for each of the 33 answered from the cache: 1,364 of 1,410.
    for (let i = 0; i < 34; i++) expect((await post(page('cached'), { as: user })).status).toBe(200);
    expect(FIRST_PAGE_UNITS + 33 * (1 + CACHED_ANSWER_UNITS)).toBe(1_364);
    expect((await post(cheap(), { as: user })).status).toBe(200);
    expect((await post(cheap(), { as: user })).code).toBe('RATE_LIMITED');
  });

  it('count requests without a valid token against their IP', async () => {
    const ip = '10.0.0.1';
    expect((await post(anon(), { ip })).status).toBe(200);
    // A bad token is answered 401 and still spends the IP's budget: a flood of them ends in 429s.
    expect((await post(anon(), { ip, token: 'not-a-jwt' })).status).toBe(401);
    const refused = await post(anon(), { ip });
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('RATE_LIMITED');
    expect((await post(anon(), { ip: '10.0.0.2' })).status).toBe(200);
  });

  it('charge a large body by its bytes when it is admitted: 40 KB of variables spend the 1,410 units at once', async () => {
    const user = await api.createUser();
    // Past the free first KiB, a unit per 32 bytes (src/limits/request-charge.ts): about 1,220 units, and 231 for the read and the viewer's check.
    const padded = await postBody(JSON.stringify({ query: CHEAP, variables: { pad: 'x'.repeat(40_000) } }), { as: user });
    expect(padded.status).toBe(200);
    expect((await post(cheap(), { as: user })).code).toBe('RATE_LIMITED');
  });

  it('refuse a client whose budget is spent before reading its body: a body that is not even JSON is answered 429', async () => {
    const user = await api.createUser();
    for (let i = 0; i < 11; i++) await post(cheap(), { as: user });
    expect((await post(cheap(), { as: user })).status).toBe(429);
    // Read, this body would be refused as malformed JSON (400); refused first, it is never read.
    const unread = await postBody('{"query": "{ viewer { id } }"', { as: user });
    expect(unread.status).toBe(429);
    expect(unread.code).toBe('RATE_LIMITED');
    expect(Number(unread.retryAfter)).toBeGreaterThanOrEqual(1);
    // Another viewer is not refused for it: its malformed body is read and refused as such (400).
    expect((await postBody('{"query": "{ viewer { id } }"', { as: await api.createUser() })).status).toBe(400);
    expect((await post(cheap(), { as: await api.createUser() })).status).toBe(200);
  });

  it('count each refusal in rate_limit_rejections_total under the budget that refused it', async () => {
    const before = await scrapeMetrics(api);
    await post(anon(), { ip: '10.0.0.3' });
    await post(anon(), { ip: '10.0.0.3' });
    await post(anon(), { ip: '10.0.0.3' });
    await post(anon(), { ip: '10.0.0.3' });
    const after = await scrapeMetrics(api);
    expect(after.sum('rate_limit_rejections_total', { reason: 'ip' }) - before.sum('rate_limit_rejections_total', { reason: 'ip' })).toBe(2);
  });
});

describe('a request that cost more than a window', () => {
  it('is paid for in the windows that follow: a debt of a whole budget or more lengthens Retry-After past the window', async () => {
    const user = await api.createUser();
    // About 2,780 units of body: more than two budgets of 1,410, one whole budget past the one it was admitted in.
    const padded = await postBody(JSON.stringify({ query: CHEAP, variables: { pad: 'x'.repeat(90_000) } }), { as: user });
    expect(padded.status).toBe(200);

    const refused = await post(cheap(), { as: user });
    expect(refused.code).toBe('RATE_LIMITED');
    // The rest of this 60 s window, then one more for each budget owed.
    expect(Number(refused.retryAfter)).toBeGreaterThan(60);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(180);
  });
});

describe('expensive requests in flight', () => {
  /**
   * The production default budget (what "expensive" is measured against: a body over 4 KiB, a
   * charge of 1,000 units), over a minute's window: only the bound on expensive requests in flight can refuse here.
   */
  let roomy: TestApi;
  beforeAll(async () => {
    roomy = await startTestApi({ RATE_LIMIT_POINTS: '10000', RATE_LIMIT_WINDOW_S: '60' });
    await roomy.server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => roomy.close());

  /** A request whose headers and first bytes are sent and whose body is held back until `finish()`: it holds its slot meanwhile. */
  function held(body: string, user: TestUser): { sent: Promise<void>; answer: Promise<number>; finish: () => void } {
    const { port } = roomy.server.app.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    const bytes = Buffer.from(body);
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer ${user.token}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`,
    );
    const sent = new Promise<void>((resolve) => socket.write(bytes.subarray(0, 10), () => resolve()));
    const answer = new Promise<number>((resolve, reject) => {
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('error', reject);
      socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0)));
    });
    return { sent, answer, finish: () => socket.write(bytes.subarray(10)) };
  }

  /**
   * The server has read the held requests' headers once they are written and
   * it has answered, over connections of their own, two requests sent after them.
   */
  async function afterHeadersRead(holding: readonly { sent: Promise<void> }[]): Promise<void> {
    await Promise.all(holding.map((request) => request.sent));
    const { port } = roomy.server.app.server.address() as AddressInfo;
    for (let i = 0; i < 2; i++) await (await fetch(`http://127.0.0.1:${port}/healthz`)).arrayBuffer();
  }

  const largeBody = JSON.stringify({ query: CHEAP, variables: { pad: 'x'.repeat(5_000) } });

  it(`refuse a sender's large body past ${EXPENSIVE_IN_FLIGHT} in flight with RATE_LIMITED, HTTP 429 and Retry-After: 1, before it is read`, async () => {
    const user = await roomy.createUser();
    const before = await scrapeMetrics(roomy);
    const holding = Array.from({ length: EXPENSIVE_IN_FLIGHT }, () => held(largeBody, user));
    await afterHeadersRead(holding);

    const third = await postBody(largeBody, { as: user, to: roomy });
    // Another sender's large body, and the same sender's small one, are not held back.
    const other = await postBody(largeBody, { as: await roomy.createUser(), to: roomy });
    const small = await post(cheap(), { as: user, to: roomy });
    for (const request of holding) request.finish();
    const answers = await Promise.all(holding.map((request) => request.answer));

    expect([third.status, third.code, third.retryAfter]).toEqual([429, 'RATE_LIMITED', '1']);
    expect([other.status, small.status]).toEqual([200, 200]);
    expect(answers).toEqual(Array(EXPENSIVE_IN_FLIGHT).fill(200));
    const after = await scrapeMetrics(roomy);
    expect(after.sum('rate_limit_rejections_total', { reason: 'concurrency' }) - before.sum('rate_limit_rejections_total', { reason: 'concurrency' })).toBe(1);
    // The slots are free again once the answers are sent.
    expect((await postBody(largeBody, { as: user, to: roomy })).status).toBe(200);
  });

  it('treat every request of a sender whose last one cost 1,000 units or more as expensive, until one costs less', async () => {
    const user = await roomy.createUser();
    // About 2,000 units of body: the sender is heavy.
    expect((await postBody(JSON.stringify({ query: CHEAP, variables: { pad: 'x'.repeat(64_000) } }), { as: user, to: roomy })).status).toBe(200);
    const holding = Array.from({ length: EXPENSIVE_IN_FLIGHT }, () => held(JSON.stringify({ query: cheap() }), user));
    await afterHeadersRead(holding);

    const small = await post(cheap(), { as: user, to: roomy });
    for (const request of holding) request.finish();
    await Promise.all(holding.map((request) => request.answer));

    expect([small.status, small.code]).toEqual([429, 'RATE_LIMITED']);
    // Its cheap requests made it light again: they are not bounded any more.
    const free = await Promise.all(Array.from({ length: EXPENSIVE_IN_FLIGHT + 1 }, () => post(cheap(), { as: user, to: roomy })));
    expect(free.map((answer) => answer.status)).toEqual(Array(EXPENSIVE_IN_FLIGHT + 1).fill(200));
  });
});

describe('what a request is charged', () => {
  const ledger = recordingLimiter();
  let ledgered: TestApi;
  beforeAll(async () => {
    ledgered = await startTestApi({}, { rateLimiter: ledger.limiter });
  });
  afterAll(() => ledgered.close());

  const SCRIPTS = '{ tasks(first: 10) { nodes { scripts { content } } } }';

  /** What the request was charged once its answer is in the client's hands (the rest is charged before the answer leaves: onSend), and the SQL it sent. */
  async function charged(user: TestUser, query: string): Promise<{ units: number; chars: number; cache: unknown; statements: number }> {
    const before = ledger.spent({ kind: 'viewer', id: user.id });
    const { result: response, statements } = await ledgered.recordSql(() =>
      ledgered.server.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        payload: JSON.stringify({ query }),
      }),
    );
    expect(response.statusCode).toBe(200);
    return { units: ledger.spent({ kind: 'viewer', id: user.id }) - before, chars: response.body.length, cache: response.headers['x-cache'], statements: statements.length };
  }

  it('charges a read its cost, its run through Apollo and the store of its answer: { viewer { id } } 1 + 50 + 80 units', async () => {
    const user = await ledgered.createUser();
    await charged(user, cheap());
    expect(await charged(user, cheap())).toMatchObject({ units: CHEAP_UNITS, statements: 0 });
  });

  it('charges each SQL statement 100 units: a first page sends two (the viewer’s check and the page), the next one none (the data cache holds both)', async () => {
    const user = await ledgered.createUser();
    await createTaskTree(ledgered.db, user.id, { tasks: 3 });
    expect(await charged(user, page('statement0'))).toMatchObject({ units: FIRST_PAGE_UNITS, statements: 2 });
    expect((await charged(user, page('statement1'))).units).toBe(PAGE_UNITS);
  });

  it('charges a page at an offset a unit per 20 rows it skips: offset 5,000 pays 250 more than offset 0', async () => {
    const user = await ledgered.createUser();
    await createTaskTree(ledgered.db, user.id, { tasks: 3 });
    await charged(user, cheap());
    const at = (offset: number) => `{ o${offset}: tasks(first: 10, offset: ${offset}) { nodes { id } } }`;

    const [first, deep] = [await charged(user, at(0)), await charged(user, at(5_000))];

    expect(deep.units - deep.statements * SQL_STATEMENT_UNITS - (first.units - first.statements * SQL_STATEMENT_UNITS)).toBe(5_000 / 20);
    expect(deep.units).toBe(11 + 250 + EXECUTED_UNITS + deep.statements * SQL_STATEMENT_UNITS + STORED_ANSWER_UNITS);
  });

  it('charges an answer past 32 KiB a unit per 512 characters: the same query costs more for the viewer whose rows are large', async () => {
    const [large, empty] = [await ledgered.createUser(), await ledgered.createUser()];
    // 10 tasks of 10 scripts of 600 characters: about 60 KB of answer.
    await createTaskTree(ledgered.db, large.id, { tasks: 10, scriptsPerTask: 10 });
    await createTaskTree(ledgered.db, empty.id, { tasks: 10 });

    const [big, small] = [await charged(large, SCRIPTS), await charged(empty, SCRIPTS)];

    expect(big.chars).toBeGreaterThan(32_768);
    expect(small.chars).toBeLessThan(32_768);
    expect(big.units - small.units).toBe(Math.ceil((big.chars - 32_768) / 512) + (big.statements - small.statements) * SQL_STATEMENT_UNITS);
  });

  it('charges an answer from the response cache by its size too: the same 60 KB read again pays 1 + 30 + a unit per 512 characters past 32 KiB, and no run', async () => {
    const user = await ledgered.createUser();
    await createTaskTree(ledgered.db, user.id, { tasks: 10, scriptsPerTask: 10 });
    const query = `{ cachedScripts: tasks(first: 10) { nodes { scripts { content } } } }`;

    const computed = await charged(user, query);
    // The response is stored in the background (gzipped first): read again until the cache answers.
    let cached = await charged(user, query);
    for (let tries = 0; cached.cache !== 'HIT' && tries < 5; tries++) cached = await charged(user, query);

    expect([computed.cache, cached.cache]).toEqual(['MISS', 'HIT']);
    expect(cached.chars).toBe(computed.chars);
    expect(cached).toMatchObject({ units: 1 + CACHED_ANSWER_UNITS + Math.ceil((cached.chars - 32_768) / 512), statements: 0 });
    // The computed one paid its cost (10 tasks of 10 scripts whose content weighs 10), its run, its SQL and its store instead of the lookup.
    expect(computed.units - cached.units).toBe(1 + 10 * (1 + 10 * (1 + 10)) + EXECUTED_UNITS + computed.statements * SQL_STATEMENT_UNITS + STORED_ANSWER_UNITS - (1 + CACHED_ANSWER_UNITS));
  });
});
