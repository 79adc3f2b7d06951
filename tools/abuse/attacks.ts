import { createHash, randomBytes } from 'node:crypto';

/**
 * The flooding modes of the abuse bench (tools/abuse/main.ts): each
 * a request the attacker sends over and over, cheap to send and (before the
 * limits of issue 10) dear to answer. Pure: bodies only, no I/O, so a unit
 * test can check that each is the attack it claims to be.
 */
export const ATTACK_NAMES = ['limits', 'validation-bomb', 'apq-flood', 'huge-scripts', 'variables', 'create-tasks', 'offset-flood', 'slowloris'] as const;
export type AttackName = (typeof ATTACK_NAMES)[number];

/** What the attacks need from the data: the attacker's tokens and tasks. */
export interface AttackTarget {
  /** A user token of the attacking viewer. */
  readonly token: string;
  /** One of the attacker's tasks (reads by id). */
  readonly taskId: string;
  /** The attacker's task with the many large scripts (huge-scripts; prepared by abuse/setup.ts). */
  readonly scriptTaskId: string;
  /** Prefix of the topics the attacks create, so the bench can delete them afterwards. */
  readonly runTag: string;
}

/** One request of an attack; `token` absent: sent without Authorization, as anyone on the internet can. */
export interface AttackRequest {
  readonly body: string;
  readonly token?: string | undefined;
}

export interface HttpAttack {
  readonly kind: 'http';
  readonly name: Exclude<AttackName, 'slowloris'>;
  readonly what: string;
  /** A generator of the attacker's requests: each call, the next. */
  requests(target: AttackTarget): () => AttackRequest;
}

export interface SlowAttack {
  readonly kind: 'slow';
  readonly name: 'slowloris';
  readonly what: string;
}

export type Attack = HttpAttack | SlowAttack;

/** 41 fields deep through Task.latestScript -> Script.task: no lists, so only the depth limit stops it. */
export const deepQuery = (taskId: string) => `{ task(id: "${taskId}") { ${'latestScript { task { '.repeat(20)}id${' } }'.repeat(20)} } }`;
/** 300 aliases, each a page of 100 tasks. */
export const ALIAS_BOMB = `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: tasks(first: 100) { nodes { id topic } }`).join(' ')} }`;
/** Within depth and alias limits, but 100 x 100 storyboards with their media. */
export const PRICEY_PAGE = '{ tasks(first: 100) { nodes { storyboards(first: 100) { nodes { id firstFrameImage { url } video { url } } } } } }';

/** Issue 10's bomb: one field 416 times without aliases (~4,600 tokens, ~14 KB); `variant` changes one argument, so no two documents hash alike. */
export const VALIDATION_BOMB_FIELDS = 416;
export const validationBomb = (variant: number) =>
  `{ tasks(first: ${1 + (variant % 1_000)}) { nodes { id } } ${'tasks(first: 1) { nodes { id } } '.repeat(VALIDATION_BOMB_FIELDS - 1)}}`;

/** `{ __typename }` and 32,000 characters of comment: a fresh document, and a fresh persisted-query hash, every time. */
export const APQ_COMMENT_CHARS = 32_000;
export function apqRegistration(): { query: string; extensions: { persistedQuery: { version: 1; sha256Hash: string } } } {
  const query = `{ __typename } # ${randomBytes(APQ_COMMENT_CHARS / 2).toString('hex')}`;
  return { query, extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } } };
}

export const HUGE_SCRIPTS_QUERY = 'query AbuseScripts($id: ID!) { task(id: $id) { scripts { content } } }';

const TASK_BY_ID = 'query AbuseTask($id: ID!) { task(id: $id) { id topic status } }';
/** Under the default 1 MiB body limit with room for the query: about 1 MB of keys nobody reads. */
export const UNUSED_VARIABLE_BYTES = 1_000_000;
export const NESTING_DEPTH = 3_000;

export function unusedVariables(taskId: string): Record<string, unknown> {
  const variables: Record<string, unknown> = { id: taskId };
  // `"k123456":0,` is 12 bytes: count keys so that the JSON stays just under the byte target.
  const keys = Math.floor((UNUSED_VARIABLE_BYTES - 200) / 12);
  for (let i = 0; i < keys; i++) variables[`k${String(i).padStart(6, '0')}`] = 0;
  return variables;
}

/** `{"a":{"a":...{"a":1}}}`, `depth` levels: past ~2,000, a recursive walk of it overflows the stack. */
export function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const CREATE_TASK = 'mutation AbuseCreateTask($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const CREATE_TASKS = 'mutation AbuseCreateTasks($inputs: [CreateTaskInput!]!) { createTasks(inputs: $inputs) { id } }';
export const CREATE_TASKS_BATCH = 500;
const OFFSET_PAGE = 'query AbuseOffset($first: Int!, $offset: Int!) { tasks(first: $first, offset: $offset) { nodes { id topic } } }';

const body = (request: object) => JSON.stringify(request);

/** Cycles through `make(n)` for n = 0, 1, 2, ... */
const counter = (make: (n: number) => AttackRequest) => {
  let n = 0;
  return () => make(n++);
};

export const ATTACKS: readonly Attack[] = [
  {
    kind: 'http',
    name: 'limits',
    what: 'a 41-deep query, 300 aliases of 100-task pages and a 100 x 100 page of storyboards, in turn',
    requests: (t) => {
      const bombs = [deepQuery(t.taskId), ALIAS_BOMB, PRICEY_PAGE].map((query) => body({ query }));
      return counter((n) => ({ body: bombs[n % bombs.length]!, token: t.token }));
    },
  },
  {
    kind: 'http',
    name: 'validation-bomb',
    what: `one field ${VALIDATION_BOMB_FIELDS} times without aliases, without a token`,
    requests: () => counter((n) => ({ body: body({ query: validationBomb(n) }) })),
  },
  {
    kind: 'http',
    name: 'apq-flood',
    what: `\`{ __typename }\` with ${APQ_COMMENT_CHARS.toLocaleString('en')} random characters of comment and its fresh hash, with and without a token in turn`,
    requests: (t) => counter((n) => ({ body: body(apqRegistration()), token: n % 2 === 0 ? t.token : undefined })),
  },
  {
    kind: 'http',
    name: 'huge-scripts',
    what: '`task(id) { scripts { content } }` of a task with many large script versions',
    requests: (t) => {
      const request = { body: body({ query: HUGE_SCRIPTS_QUERY, variables: { id: t.scriptTaskId } }), token: t.token };
      return () => request;
    },
  },
  {
    kind: 'http',
    name: 'variables',
    what: `1 MB of unused variables, a variable nested ${NESTING_DEPTH.toLocaleString('en')} levels, and a task whose options are, in turn`,
    requests: (t) => {
      const unused = body({ query: TASK_BY_ID, variables: unusedVariables(t.taskId) });
      const deep = body({ query: TASK_BY_ID, variables: { id: t.taskId, deep: nested(NESTING_DEPTH) } });
      return counter((n) => {
        if (n % 3 === 0) return { body: unused, token: t.token };
        if (n % 3 === 1) return { body: deep, token: t.token };
        return { body: body({ query: CREATE_TASK, variables: { input: { topic: `${t.runTag} deep ${n}`, options: nested(NESTING_DEPTH) } } }), token: t.token };
      });
    },
  },
  {
    kind: 'http',
    name: 'create-tasks',
    what: `createTasks with ${CREATE_TASKS_BATCH} inputs`,
    requests: (t) =>
      counter((n) => ({
        body: body({ query: CREATE_TASKS, variables: { inputs: Array.from({ length: CREATE_TASKS_BATCH }, (_, i) => ({ topic: `${t.runTag} flood ${n}.${i}` })) } }),
        token: t.token,
      })),
  },
  {
    kind: 'http',
    name: 'offset-flood',
    what: 'pages of tasks at ever new offsets and sizes: every one a new response-cache entry',
    requests: (t) => counter((n) => ({ body: body({ query: OFFSET_PAGE, variables: { first: 1 + (n % 20), offset: n } }), token: t.token })),
  },
  { kind: 'slow', name: 'slowloris', what: 'hundreds of connections each sending its request body a byte every few seconds' },
];

export function attackNamed(name: string): Attack {
  const attack = ATTACKS.find((a) => a.name === name);
  if (!attack) throw new Error(`unknown attack "${name}": one of ${ATTACK_NAMES.join(', ')}`);
  return attack;
}
