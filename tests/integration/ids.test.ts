import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../../src/auth/scopes.js';
import { parseId } from '../../src/ids.js';
import {
  HardeningAddResourcesDocument,
  HardeningAddScriptDocument,
  HardeningAddStoryboardsDocument,
  HardeningCancelTaskDocument,
  HardeningConversationDocument,
  HardeningCreateConversationDocument,
  HardeningDeleteTaskDocument,
  HardeningPostMessageDocument,
  HardeningResourceDocument,
  HardeningScriptDocument,
  HardeningSetStoryboardMediaDocument,
  HardeningStoryboardDocument,
  HardeningTaskDocument,
  HardeningUpdateTaskStatusDocument,
  HardeningUpdateTasksStatusDocument,
  HardeningViewerDocument,
  IdsMessagePageDocument as IdsMessagePage,
  IdsStoryboardPageDocument as IdsStoryboardPage,
  IdsTaskPageDocument as IdsTaskPage,
} from '../generated/graphql.js';
import { snapshotTables } from '../helpers/table-snapshot.js';
import { startTestApi, type GraphQLResponse, type TestApi, type TestUser } from '../helpers/test-api.js';

/**
 * Ids are whatever PostgreSQL's uuid holds: imported rows carry ids of any
 * version, and clients spell them in any form uuid_in reads. Every row here
 * is written by SQL with an id that is not version 4, and every query and
 * mutation that takes an id is sent one, spelled otherwise than PostgreSQL
 * answers it.
 */
const ID = {
  user: 'c232ab00-9414-11ec-b3c8-9f68deed7a5e', // version 1
  task: '00000000-0000-0000-0000-000000000001', // version 0
  statusTask: 'ffffffff-ffff-ffff-ffff-ffffffffffff', // the largest uuid
  batchTask: '01890a5d-ac96-774b-bcce-b302099a8057', // version 7
  cancelTask: '01890a5d-ac96-774b-bcce-b302099a8058',
  deleteTask: '00000000-0000-0000-c000-000000000046', // Microsoft's variant
  script: '6ba7b810-9dad-11d1-80b4-00c04fd430c8', // version 1, the RFC's DNS namespace
  storyboard: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  secondStoryboard: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  image: '00000000-0000-0000-0000-00000000000a',
  video: '00000000-0000-0000-0000-00000000000b',
  conversation: '1ec9414c-232a-6b00-b3c8-9e6bdeced846', // version 6
  message: '1ec9414c-232a-6b00-b3c8-9e6bdeced847',
  secondMessage: '1ec9414c-232a-6b00-b3c8-9e6bdeced848',
} as const;

/** The spellings of one id that PostgreSQL reads, none of them the canonical one. */
const spell = {
  upper: (id: string) => id.toUpperCase(),
  braced: (id: string) => `{${id.toUpperCase()}}`,
  bare: (id: string) => id.replaceAll('-', ''),
  fours: (id: string) => id.replaceAll('-', '').match(/.{4}/g)!.join('-'),
};

let api: TestApi;
/** The user of every row, with an agent token: no scope stands between a call and its ids. */
let owner: TestUser;

beforeAll(async () => {
  api = await startTestApi();
  await sql`insert into users (id, email, display_name) values (${ID.user}, 'imported@test.arya.dev', 'Imported')`.execute(api.db);
  owner = { id: ID.user, email: 'imported@test.arya.dev', token: await api.tokens.sign(ID.user, undefined, [Scope.AGENT]) };
  await sql`
    insert into tasks (id, user_id, topic, created_at)
    select id, ${ID.user}, 'Imported ' || n, now() - make_interval(secs => n)
    from unnest(${[ID.task, ID.statusTask, ID.batchTask, ID.cancelTask, ID.deleteTask]}::uuid[]) with ordinality as t(id, n)`.execute(api.db);
  await sql`insert into scripts (id, task_id, version, title, content) values (${ID.script}, ${ID.task}, 1, 'Imported', 'Text')`.execute(api.db);
  await sql`
    insert into resources (id, task_id, kind, url, mime_type)
    values (${ID.image}, ${ID.task}, 'image', 'https://cdn.test/imported.png', 'image/png'),
           (${ID.video}, ${ID.task}, 'video', 'https://cdn.test/imported.mp4', 'video/mp4')`.execute(api.db);
  await sql`
    insert into storyboards (id, task_id, sequence_number, description, prompt, duration_seconds)
    values (${ID.storyboard}, ${ID.task}, 0, 'Imported', 'Prompt', 4), (${ID.secondStoryboard}, ${ID.task}, 2, 'Imported', 'Prompt', 4)`.execute(api.db);
  await sql`insert into conversations (id, user_id, task_id, title) values (${ID.conversation}, ${ID.user}, ${ID.task}, 'Imported')`.execute(api.db);
  await sql`
    insert into messages (id, conversation_id, role, content, created_at)
    values (${ID.message}, ${ID.conversation}, 'user', 'Hello', now() - interval '2 minutes'),
           (${ID.secondMessage}, ${ID.conversation}, 'assistant', 'Hi', now() - interval '1 minute')`.execute(api.db);
});
afterAll(() => api.close());

function asOwner<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) {
  return api.execute(document, variables, { as: owner });
}

const codesOf = (response: GraphQLResponse<unknown>) => response.errors?.map((error) => error.extensions?.code);

describe('the id grammar', () => {
  const readable = [...Object.values(ID).flatMap((id) => [id, ...Object.values(spell).map((write) => write(id))]), 'a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11'];
  const refused = [
    '',
    'not-a-uuid',
    ` ${ID.task}`,
    `${ID.task} `,
    `{${ID.task}`,
    `${ID.task}}`,
    `{-${ID.task}}`,
    ID.task.replace('-', '--'),
    `-${ID.task}`,
    `${ID.task}-`,
    ID.task.slice(0, -1),
    `${ID.task}0`,
    ID.task.replace('0', 'g'),
    '0000000-00000-0000-0000-000000000001',
  ];

  /** What the database's uuid makes of the text: its canonical form, or undefined when it refuses it. */
  async function databaseReading(text: string): Promise<string | undefined> {
    try {
      const { rows } = await sql<{ id: string }>`select ${text}::uuid::text as id`.execute(api.db);
      return rows[0]!.id;
    } catch (error) {
      expect((error as { code?: string }).code, text).toBe('22P02');
      return undefined;
    }
  }

  it('accepts exactly what the database’s uuid accepts, answering what it answers', async () => {
    const texts = [...readable, ...refused];
    const answers = await Promise.all(texts.map(databaseReading));

    expect(texts.map(parseId)).toEqual(answers);
    expect(answers.slice(0, readable.length)).not.toContain(undefined);
    expect(answers.slice(readable.length)).toEqual(refused.map(() => undefined));
  });
});

describe('a viewer whose id is not version 4', () => {
  it.each(Object.entries(spell))('is signed in by a token whose sub is written %s', async (_spelling, write) => {
    const token = await api.tokens.sign(write(ID.user));

    const response = await api.execute(HardeningViewerDocument, {}, { as: { ...owner, token } });

    expect(response.errors).toBeUndefined();
    expect(response.data!.viewer.id).toBe(ID.user);
  });
});

describe('queries by an id that is not version 4', () => {
  const byId = [
    ['task', (id: string) => asOwner(HardeningTaskDocument, { id }), ID.task],
    ['script', (id: string) => asOwner(HardeningScriptDocument, { id }), ID.script],
    ['storyboard', (id: string) => asOwner(HardeningStoryboardDocument, { id }), ID.storyboard],
    ['resource', (id: string) => asOwner(HardeningResourceDocument, { id }), ID.image],
    ['conversation', (id: string) => asOwner(HardeningConversationDocument, { id }), ID.conversation],
  ] as const;
  const cases = byId.flatMap(([field, query, id]) => Object.entries(spell).map(([spelling, write]) => ({ field, spelling, query, id, write })));

  it.each(cases)('Query.$field finds the row by its id written $spelling and answers it canonical', async ({ field, query, id, write }) => {
    const response = await query(write(id));

    expect(response.errors).toBeUndefined();
    expect((response.data as Record<string, { id: string }>)[field]!.id).toBe(id);
  });

  it('Query.task takes the id as a literal in the document too', async () => {
    const response = await api.server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      payload: { query: `{ task(id: "${spell.braced(ID.statusTask)}") { id } }` },
    });

    expect(response.json()).toEqual({ data: { task: { id: ID.statusTask } } });
  });

  it('lists such rows and pages past them with cursors that carry their ids', async () => {
    const tasks = await walk((after) => asOwner(IdsTaskPage, { after }).then((r) => r.data!.tasks));
    const storyboards = await walk((after) =>
      asOwner(IdsStoryboardPage, { taskId: spell.bare(ID.task), after }).then((r) => r.data!.task!.storyboards),
    );
    const messages = await walk((after) =>
      asOwner(IdsMessagePage, { conversationId: spell.upper(ID.conversation), after }).then((r) => r.data!.conversation!.messages),
    );

    expect(tasks).toEqual([ID.task, ID.statusTask, ID.batchTask, ID.cancelTask, ID.deleteTask]);
    expect(storyboards).toEqual([ID.storyboard, ID.secondStoryboard]);
    expect(messages).toEqual([ID.message, ID.secondMessage]);
  });
});

interface OnePage {
  readonly nodes: readonly { id: string }[];
  readonly pageInfo: { endCursor?: string | null };
}

/** The ids of a list read one row a page, each page after the last one's endCursor. */
async function walk(read: (after: string | null) => Promise<OnePage>): Promise<string[]> {
  const ids: string[] = [];
  for (let after: string | null = null; ; ) {
    const page: OnePage = await read(after);
    if (page.nodes.length === 0 || ids.length > 10) return ids;
    ids.push(...page.nodes.map((node) => node.id));
    after = page.pageInfo.endCursor ?? null;
  }
}

describe('mutations on rows whose ids are not version 4', () => {
  it('updateTaskStatus takes a version-0 id exactly as Query.tasks lists it', async () => {
    const response = await asOwner(HardeningUpdateTaskStatusDocument, { input: { id: ID.task, status: 'RUNNING' } });

    expect(response.errors).toBeUndefined();
    expect(response.data!.updateTaskStatus).toMatchObject({ id: ID.task, status: 'RUNNING' });
  });

  it('updateTaskStatus takes the id braced and in upper case', async () => {
    const response = await asOwner(HardeningUpdateTaskStatusDocument, { input: { id: spell.braced(ID.statusTask), status: 'RUNNING', progress: 0.25 } });

    expect(response.errors).toBeUndefined();
    expect(response.data!.updateTaskStatus).toEqual({ id: ID.statusTask, status: 'RUNNING', progress: 0.25 });
  });

  it('updateTasksStatus takes the id without hyphens', async () => {
    const response = await asOwner(HardeningUpdateTasksStatusDocument, { inputs: [{ id: spell.bare(ID.batchTask), status: 'RUNNING' }] });

    expect(response.errors).toBeUndefined();
    expect(response.data!.updateTasksStatus).toEqual([{ id: ID.batchTask }]);
  });

  it('updateTasksStatus sees one task named twice in two spellings, naming the second', async () => {
    const before = await snapshotTables(api.db);

    const response = await asOwner(HardeningUpdateTasksStatusDocument, {
      inputs: [
        { id: spell.upper(ID.batchTask), status: 'RUNNING' },
        { id: spell.fours(ID.batchTask), status: 'RUNNING' },
      ],
    });

    expect(response.errors!.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'inputs', index: 1 })]);
    expect(await snapshotTables(api.db)).toEqual(before);
  });

  it('cancelTask takes the id in groups of four', async () => {
    const response = await asOwner(HardeningCancelTaskDocument, { id: spell.fours(ID.cancelTask) });

    expect(response.errors).toBeUndefined();
    expect(response.data!.cancelTask).toEqual({ id: ID.cancelTask });
  });

  it('deleteTask takes the id in upper case and answers it canonical', async () => {
    const response = await asOwner(HardeningDeleteTaskDocument, { id: spell.upper(ID.deleteTask) });

    expect(response.errors).toBeUndefined();
    expect(response.data!.deleteTask).toBe(ID.deleteTask);
    expect(await api.db.selectFrom('tasks').select('id').where('id', '=', ID.deleteTask).execute()).toEqual([]);
  });

  it('addScript, addStoryboards and addResources take the task id in three spellings', async () => {
    const script = await asOwner(HardeningAddScriptDocument, { input: { taskId: spell.upper(ID.task), title: 'Second', content: 'More' } });
    const storyboards = await asOwner(HardeningAddStoryboardsDocument, {
      taskId: spell.braced(ID.task),
      inputs: [{ sequenceNumber: 1, description: 'Next', prompt: 'Prompt', durationSeconds: 3 }],
    });
    const resources = await asOwner(HardeningAddResourcesDocument, {
      taskId: spell.bare(ID.task),
      inputs: [{ kind: 'IMAGE', url: 'https://cdn.test/next.png', mimeType: 'image/png' }],
    });

    expect([script.errors, storyboards.errors, resources.errors]).toEqual([undefined, undefined, undefined]);
    const taskOf = (table: 'scripts' | 'storyboards' | 'resources', id: string) =>
      api.db.selectFrom(table).select('taskId').where('id', '=', id).executeTakeFirstOrThrow();
    expect(await taskOf('scripts', script.data!.addScript.id)).toEqual({ taskId: ID.task });
    expect(await taskOf('storyboards', storyboards.data!.addStoryboards[0]!.id)).toEqual({ taskId: ID.task });
    expect(await taskOf('resources', resources.data!.addResources[0]!.id)).toEqual({ taskId: ID.task });
  });

  it('setStoryboardMedia takes the storyboard, image and video ids in three spellings', async () => {
    const response = await asOwner(HardeningSetStoryboardMediaDocument, {
      input: { storyboardId: spell.upper(ID.storyboard), firstFrameImageId: spell.braced(ID.image), videoId: spell.fours(ID.video) },
    });

    expect(response.errors).toBeUndefined();
    expect(response.data!.setStoryboardMedia).toEqual({ id: ID.storyboard });
    const row = await api.db.selectFrom('storyboards').select(['firstFrameImageId', 'videoId']).where('id', '=', ID.storyboard).executeTakeFirstOrThrow();
    expect(row).toEqual({ firstFrameImageId: ID.image, videoId: ID.video });
  });

  it('createConversation and postMessage take the task and conversation ids spelled otherwise', async () => {
    const created = await asOwner(HardeningCreateConversationDocument, { input: { title: 'About it', taskId: spell.bare(ID.task) } });
    const posted = await asOwner(HardeningPostMessageDocument, { input: { conversationId: spell.braced(ID.conversation), role: 'USER', content: 'Hi' } });

    expect([created.errors, posted.errors]).toEqual([undefined, undefined]);
    const conversation = await api.db.selectFrom('conversations').select('taskId').where('id', '=', created.data!.createConversation.id).executeTakeFirstOrThrow();
    const message = await api.db.selectFrom('messages').select('conversationId').where('id', '=', posted.data!.postMessage.id).executeTakeFirstOrThrow();
    expect(conversation).toEqual({ taskId: ID.task });
    expect(message).toEqual({ conversationId: ID.conversation });
  });
});

describe('a malformed id', () => {
  /** Ids PostgreSQL refuses, each a near miss of a real one. */
  const malformed = [`${ID.task} `, `{${ID.task}`, ID.task.replace('-', '--'), `${ID.task}0`, 'not-a-uuid', ''];
  const storyboard = { sequenceNumber: 5, description: 'Cut', prompt: 'Prompt', durationSeconds: 2 };
  const resource = { kind: 'VIDEO' as const, url: 'https://cdn.test/bad.mp4', mimeType: 'video/mp4' };

  const calls: { operation: string; argument: string; index?: number; send: (bad: string) => Promise<GraphQLResponse<unknown>> }[] = [
    { operation: 'Query.task', argument: 'id', send: (bad) => asOwner(HardeningTaskDocument, { id: bad }) },
    { operation: 'Query.script', argument: 'id', send: (bad) => asOwner(HardeningScriptDocument, { id: bad }) },
    { operation: 'Query.storyboard', argument: 'id', send: (bad) => asOwner(HardeningStoryboardDocument, { id: bad }) },
    { operation: 'Query.resource', argument: 'id', send: (bad) => asOwner(HardeningResourceDocument, { id: bad }) },
    { operation: 'Query.conversation', argument: 'id', send: (bad) => asOwner(HardeningConversationDocument, { id: bad }) },
    {
      operation: 'Mutation.updateTaskStatus',
      argument: 'input.id',
      send: (bad) => asOwner(HardeningUpdateTaskStatusDocument, { input: { id: bad, status: 'RUNNING' } }),
    },
    {
      operation: 'Mutation.updateTasksStatus',
      argument: 'inputs.id',
      index: 1,
      send: (bad) =>
        asOwner(HardeningUpdateTasksStatusDocument, {
          inputs: [
            { id: ID.task, status: 'RUNNING' },
            { id: bad, status: 'RUNNING' },
          ],
        }),
    },
    { operation: 'Mutation.cancelTask', argument: 'id', send: (bad) => asOwner(HardeningCancelTaskDocument, { id: bad }) },
    { operation: 'Mutation.deleteTask', argument: 'id', send: (bad) => asOwner(HardeningDeleteTaskDocument, { id: bad }) },
    {
      operation: 'Mutation.addScript',
      argument: 'input.taskId',
      send: (bad) => asOwner(HardeningAddScriptDocument, { input: { taskId: bad, title: 'T', content: 'C' } }),
    },
    { operation: 'Mutation.addStoryboards', argument: 'taskId', send: (bad) => asOwner(HardeningAddStoryboardsDocument, { taskId: bad, inputs: [storyboard] }) },
    { operation: 'Mutation.addResources', argument: 'taskId', send: (bad) => asOwner(HardeningAddResourcesDocument, { taskId: bad, inputs: [resource] }) },
    {
      operation: 'Mutation.setStoryboardMedia',
      argument: 'input.storyboardId',
      send: (bad) => asOwner(HardeningSetStoryboardMediaDocument, { input: { storyboardId: bad, videoId: null } }),
    },
    {
      operation: 'Mutation.setStoryboardMedia',
      argument: 'input.firstFrameImageId',
      send: (bad) => asOwner(HardeningSetStoryboardMediaDocument, { input: { storyboardId: ID.storyboard, firstFrameImageId: bad } }),
    },
    {
      operation: 'Mutation.setStoryboardMedia',
      argument: 'input.videoId',
      send: (bad) => asOwner(HardeningSetStoryboardMediaDocument, { input: { storyboardId: ID.storyboard, videoId: bad } }),
    },
    {
      operation: 'Mutation.createConversation',
      argument: 'input.taskId',
      send: (bad) => asOwner(HardeningCreateConversationDocument, { input: { title: 'About', taskId: bad } }),
    },
    {
      operation: 'Mutation.postMessage',
      argument: 'input.conversationId',
      send: (bad) => asOwner(HardeningPostMessageDocument, { input: { conversationId: bad, role: 'USER', content: 'Hi' } }),
    },
  ];
  const cases = calls.map((call, i) => ({ ...call, bad: malformed[i % malformed.length]! }));

  it.each(cases)('$operation answers BAD_USER_INPUT naming $argument for $bad, and writes nothing', async ({ send, bad, argument, index }) => {
    const before = await snapshotTables(api.db);

    const response = await send(bad);

    expect(response.status).toBe(200);
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument, ...(index === undefined ? {} : { index }) });
    // A nullable query answers null; a mutation's non-null field takes data with it.
    expect(Object.values(response.data ?? {}).filter((value) => value !== null)).toEqual([]);
    expect(await snapshotTables(api.db)).toEqual(before);
  });
});
