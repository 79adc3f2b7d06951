import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyUnits, executedUnits, parsedUnits, SQL_STATEMENT_UNITS } from '../../src/limits/request-charge.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { recordingLimiter, type RecordingLimiter } from '../helpers/recording-limiter.js';
import { eventually } from '../helpers/redis-server.js';
import { startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

/**
 * Issue 10, items 1 and 4: documents and variables that cost one unit and
 * took the server down. Each test reads what the server spent on the request
 * from its own instruments: the rate limiter's ledger (units charged) and the
 * validation histogram (whether graphql-js validated the document at all, and
 * for how long: printed for the documents at the limits, never asserted).
 */
let api: TestApi;
let metrics: Metrics;
let ledger: RecordingLimiter;
let user: TestUser;

beforeAll(async () => {
  metrics = createMetrics();
  ledger = recordingLimiter();
  api = await startTestApi({}, { metrics, rateLimiter: ledger.limiter });
  user = await api.createUser('Abuse');
});
afterAll(() => api.close());

interface Answer {
  readonly status: number;
  readonly body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  readonly raw: string;
  /** Bytes of the request body sent: the rate limit charges them (src/limits/request-charge.ts bodyUnits). */
  readonly sentBytes: number;
}

function post(payload: Record<string, unknown>, options: { ip?: string; as?: TestUser } = {}): Promise<Answer> {
  return postText(JSON.stringify(payload), options);
}

/** A body written as text: JSON.stringify cannot write what is nested 100,000 deep. */
async function postText(body: string, options: { ip?: string; as?: TestUser } = {}): Promise<Answer> {
  const response = await api.server.app.inject({
    method: 'POST',
    url: '/graphql',
    remoteAddress: options.ip ?? '127.0.0.1',
    headers: { 'content-type': 'application/json', ...(options.as ? { authorization: `Bearer ${options.as.token}` } : {}) },
    payload: body,
  });
  return { status: response.statusCode, body: response.json(), raw: response.body, sentBytes: Buffer.byteLength(body) };
}

const codesOf = (answer: Answer) => answer.body.errors?.map((error) => error.extensions?.code);
const LIMIT_CODES = ['QUERY_TOO_LARGE', 'TOO_MANY_ALIASES', 'QUERY_TOO_DEEP'];
const sizeUnits = (answer: Answer) => bodyUnits(answer.sentBytes);
/** What running it through Apollo cost (src/limits/request-charge.ts): a request refused before Apollo pays none. */
const runUnits = (answer: Answer) => executedUnits(answer.raw.length);

/** How many documents graphql-js has validated, and for how long in all (ms). */
async function validations(): Promise<{ count: number; ms: number }> {
  const { values } = await metrics.graphql.validationDuration.get();
  const value = (name: string) => values.find((sample) => sample.metricName === name)?.value ?? 0;
  return { count: value('graphql_validation_duration_seconds_count'), ms: value('graphql_validation_duration_seconds_sum') * 1000 };
}

async function refusals(reason: string): Promise<number> {
  const { values } = await metrics.graphql.documentsRefused.get();
  return values.find((sample) => sample.labels.reason === reason)?.value ?? 0;
}

/** Waits for the charge made after the response, then gives the units the subject spent in all. */
async function spentBy(subject: Parameters<RecordingLimiter['spent']>[0], atLeast: number): Promise<number> {
  await eventually('the charge after the response', async () => ledger.spent(subject) >= atLeast);
  return ledger.spent(subject);
}

const repeat = (count: number, text: (i: number) => string) => Array.from({ length: count }, (_, i) => text(i)).join(' ');
/** The review's bomb: 416 copies of one field without aliases, 14 KB, ~4,600 tokens. */
const BOMB = `{ ${repeat(416, () => 'tasks(first: 1) { nodes { id } }')} }`;

describe('the validation bomb', () => {
  it('is refused with QUERY_TOO_LARGE (HTTP 400) before graphql-js validates it, and charged by its size to the anonymous client’s IP', async () => {
    const ip = '10.10.0.1';
    const [before, refusedBefore] = [await validations(), await refusals('limits')];

    const answer = await post({ query: BOMB }, { ip });

    expect(answer.status).toBe(400);
    expect(answer.body.errors!.map((error) => error.extensions)).toEqual([{ code: 'QUERY_TOO_LARGE', selections: 1_248, maxSelections: 150 }]);
    expect((await validations()).count).toBe(before.count);
    expect(await refusals('limits')).toBe(refusedBefore + 1);
    // 1 unit up front, its bytes past the first KiB (a unit per 32): the 14 KB it made the server read, half as much for Apollo's parse of it, and Apollo's run.
    expect(sizeUnits(answer)).toBe(Math.ceil((answer.sentBytes - 1_024) / 32));
    expect(parsedUnits(BOMB.length)).toBe(Math.ceil((BOMB.length - 1_024) / 64));
    expect(runUnits(answer)).toBe(50);
    const charged = 1 + sizeUnits(answer) + parsedUnits(BOMB.length) + 50;
    expect(await spentBy({ kind: 'ip', ip }, charged)).toBe(charged);
  });

  it('is answered from the memory of refused documents when it comes again: no parsing, no validation, the same answer', async () => {
    const ip = '10.10.0.2';
    // Sent once from elsewhere: the repeat below is this IP's only request.
    const first = await post({ query: BOMB }, { ip: '10.10.0.20' });
    const [before, rememberedBefore, limitsBefore] = [await validations(), await refusals('remembered'), await refusals('limits')];

    const again = await post({ query: BOMB }, { ip });

    expect([again.status, again.raw]).toEqual([first.status, first.raw]);
    expect((await validations()).count).toBe(before.count);
    expect(await refusals('limits')).toBe(limitsBefore);
    expect(await refusals('remembered')).toBe(rememberedBefore + 1);
    // The repeat is answered before Apollo: it pays its first unit and its bytes, not a run.
    expect(await spentBy({ kind: 'ip', ip }, 1 + sizeUnits(first))).toBe(1 + sizeUnits(first));
  });

  it('remembers a document graphql-js itself refused (an unknown field): it is validated once', async () => {
    const query = '{ viewer { id } unknownAbuseField }';
    const before = await validations();

    const first = await post({ query }, { as: user });
    const afterFirst = await validations();
    const again = await post({ query }, { as: user });

    expect(codesOf(first)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(afterFirst.count).toBe(before.count + 1);
    expect([again.status, again.raw]).toEqual([first.status, first.raw]);
    expect((await validations()).count).toBe(afterFirst.count);
  });

  it('charges a document validated for the first time by its size and its selections, and nothing more for a repeat Apollo validated', async () => {
    const ip = '10.10.0.3';
    // 150 selections, the most the limits allow; introspection costs nothing (src/limits/cost.ts): what is charged is the document's own work.
    const query = `{ ${repeat(50, () => '__type(name: "Task") { fields { name } }')} }`;

    const answer = await post({ query }, { ip });
    const repeated = await post({ query }, { ip });

    expect(answer.body.errors).toBeUndefined();
    expect(repeated.body.errors).toBeUndefined();
    // Each: 1 up front, its bytes and its run; the first also its parse and 150² / 2,500 = 9 for its validation.
    const each = 1 + sizeUnits(answer) + runUnits(answer);
    const first = each + parsedUnits(query.length) + 9;
    expect(parsedUnits(query.length)).toBeGreaterThan(0);
    expect(await spentBy({ kind: 'ip', ip }, first + each)).toBe(first + each);
  });
});

describe('documents at the limits', () => {
  /**
   * The worst shapes found for graphql-js's validation, each as large as the
   * limits allow (150 selections, 50 fragments, 30 aliases): the same field
   * repeated (OverlappingFieldsCanBeMerged compares every pair), with other
   * arguments, in inline fragments, in fragments, conflicting through aliases.
   */
  const withinLimits: [string, string][] = [
    ['50 x tasks { nodes { id } }', `{ ${repeat(50, () => 'tasks(first: 1) { nodes { id } }')} }`],
    ['50 x tasks, each its own first', `{ ${repeat(50, (i) => `tasks(first: ${i}) { nodes { id } }`)} }`],
    ['75 x viewer { id }', `{ ${repeat(75, () => 'viewer { id }')} }`],
    ['150 x __typename', `{ ${repeat(150, () => '__typename')} }`],
    ['12 x viewer { 11 x id }', `{ ${repeat(12, () => `viewer { ${repeat(11, () => 'id')} }`)} }`],
    ['37 x inline fragment of tasks', `{ ${repeat(37, () => '... on Query { tasks(first: 1) { nodes { id } } }')} }`],
    ['30 x tasks { nodes { id id id } }', `{ ${repeat(30, () => 'tasks(first: 1) { nodes { id id id } }')} }`],
    ['37 fragments of tasks, all spread', `{ ${repeat(37, (i) => `...F${i}`)} } ${repeat(37, (i) => `fragment F${i} on Query { tasks(first: 1) { nodes { id } } }`)}`],
    ['19 fragments, each spreading the one before', `{ ${repeat(19, (i) => `...F${i}`)} } fragment F0 on Query { tasks(first: 1) { nodes { id } } } ${repeat(18, (i) => `fragment F${i + 1} on Query { ...F${i} tasks(first: 1) { nodes { id } } }`)}`],
    ['30 aliases that conflict, 20 x tasks', `{ ${repeat(30, (i) => `tasks(first: 1) { nodes { x: ${i % 2 ? 'id' : 'topic'} } }`)} ${repeat(20, () => 'tasks(first: 1) { nodes { id } }')} }`],
  ];

  it.each(withinLimits)('%s is validated, and the time it takes is printed', async (name, document) => {
    const times: number[] = [];
    // A new comment each time: a new text, which Apollo has not validated yet. The first runs warm graphql-js up.
    for (let run = 0; run < 8; run++) {
      const before = await validations();
      const answer = await post({ query: `${document} # ${name} ${run}` });
      const after = await validations();
      expect((codesOf(answer) ?? []).filter((code) => LIMIT_CODES.includes(String(code)))).toEqual([]);
      expect(after.count).toBe(before.count + 1);
      times.push(after.ms - before.ms);
    }
    const warm = times.slice(3).sort((a, b) => a - b);
    console.log(`validation of "${name}" (${document.length} bytes): min ${warm[0]!.toFixed(2)} ms, median ${warm[2]!.toFixed(2)} ms, max ${warm.at(-1)!.toFixed(2)} ms`);
  });

  const pastLimits: [string, string, Record<string, unknown>][] = [
    ['151 x __typename', `{ ${repeat(151, () => '__typename')} }`, { code: 'QUERY_TOO_LARGE', selections: 151, maxSelections: 150 }],
    ['51 fragments', `{ viewer { id } } ${repeat(51, (i) => `fragment F${i} on User { id }`)}`, { code: 'QUERY_TOO_LARGE', fragments: 51, maxFragments: 50 }],
    ['31 conflicting aliases', `{ ${repeat(31, (i) => `tasks(first: 1) { nodes { x: ${i % 2 ? 'id' : 'topic'} } }`)} }`, { code: 'TOO_MANY_ALIASES', aliases: 31, maxAliases: 30 }],
  ];

  it.each(pastLimits)('%s is refused before graphql-js validates it', async (_name, document, extensions) => {
    const before = await validations();

    const answer = await post({ query: document });

    expect(answer.status).toBe(400);
    expect(answer.body.errors!.map((error) => error.extensions)).toEqual([extensions]);
    expect((await validations()).count).toBe(before.count);
  });
});

describe('variables', () => {
  const VIEWER = 'query AbuseViewer { viewer { id } }';

  it('refuses 100,000 unused variables with BAD_USER_INPUT (HTTP 400) before the response cache or Apollo, charged by their size', async () => {
    const spender = await api.createUser();
    // Short keys, so that 100,000 of them fit the 1 MiB body limit.
    const variables = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [i.toString(36), 0]));
    const before = await validations();

    const answer = await post({ query: VIEWER, variables }, { as: spender });

    expect(answer.status).toBe(400);
    expect(answer.body.errors!.map((error) => error.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', argument: 'variables', values: 100_000, maxValues: 20_000 },
    ]);
    expect((await validations()).count).toBe(before.count);
    expect(sizeUnits(answer)).toBeGreaterThan(800);
    // Its first unit and its bytes, and the viewer's check (a statement: the new user's first request); nothing of Apollo's.
    const charged = 1 + sizeUnits(answer) + SQL_STATEMENT_UNITS;
    expect(await spentBy({ kind: 'viewer', id: spender.id }, charged)).toBe(charged);
  });

  it.each([
    ['an object 3,000 deep', `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`],
    ['a list 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
  ])('refuses %s with BAD_USER_INPUT, never a bare 500', async (_name, nested) => {
    const answer = await postText(`{"query":${JSON.stringify(VIEWER)},"variables":{"deep":${nested}}}`, { as: user });

    expect(answer.status).toBe(400);
    expect(answer.body.errors!.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'variables', depth: 65, maxDepth: 64 }]);
  });

  it('refuses them over GET too, where they come as a JSON string', async () => {
    const variables = `{"deep":${'['.repeat(100)}${']'.repeat(100)}}`;
    const response = await api.server.app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent(VIEWER)}&variables=${encodeURIComponent(variables)}`,
      headers: { authorization: `Bearer ${user.token}`, 'apollo-require-preflight': 'true' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'variables', depth: 65, maxDepth: 64 });
  });

  it('takes the limits from VARIABLES_MAX_BYTES, VARIABLES_MAX_DEPTH and VARIABLES_MAX_VALUES', async () => {
    const strict = await api.startSibling({ VARIABLES_MAX_BYTES: '1024', VARIABLES_MAX_DEPTH: '3', VARIABLES_MAX_VALUES: '10' });
    const send = async (variables: unknown) => {
      const response = await strict.server.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        payload: { query: VIEWER, variables },
      });
      return [response.statusCode, response.json().errors?.[0]?.extensions];
    };
    try {
      expect(await send({ a: { b: [1] } })).toEqual([200, undefined]);
      expect(await send({ a: { b: [[1]] } })).toEqual([400, { code: 'BAD_USER_INPUT', argument: 'variables', depth: 4, maxDepth: 3 }]);
      expect(await send({ list: Array(10).fill(0) })).toEqual([400, { code: 'BAD_USER_INPUT', argument: 'variables', values: 11, maxValues: 10 }]);
      expect(await send({ text: 'x'.repeat(1_100) })).toEqual([400, { code: 'BAD_USER_INPUT', argument: 'variables', bytes: 1_112, maxBytes: 1_024 }]);
    } finally {
      await strict.close();
    }
  });
});

describe('JSON inputs', () => {
  const CREATE = 'mutation AbuseCreateTask($input: CreateTaskInput!) { createTask(input: $input) { id } }';
  const nested = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`);

  it('take options nested 32 deep', async () => {
    const answer = await post({ query: CREATE, variables: { input: { topic: 'Deep', options: nested(32) } } }, { as: user });

    expect(answer.body.errors).toBeUndefined();
  });

  it('refuse options nested 33 deep with BAD_USER_INPUT naming the argument, from variables or written in the document', async () => {
    const fromVariables = await post({ query: CREATE, variables: { input: { topic: 'Deep', options: nested(33) } } }, { as: user });
    const literal = `${'{ a: '.repeat(32)}{}${' }'.repeat(32)}`;
    const inDocument = await post({ query: `mutation { createTask(input: { topic: "Deep", options: ${literal} }) { id } }` }, { as: user });

    for (const answer of [fromVariables, inDocument]) {
      expect(answer.body.errors!.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'options', maxDepth: 32 }]);
    }
  });

  it('refuse options over 64 KiB with BAD_USER_INPUT naming the argument and the size', async () => {
    const answer = await post({ query: CREATE, variables: { input: { topic: 'Large', options: { text: 'x'.repeat(64 * 1024) } } } }, { as: user });

    expect(answer.body.errors!.map((error) => error.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', argument: 'options', bytes: 64 * 1024 + 11, maxBytes: 64 * 1024 },
    ]);
  });
});
