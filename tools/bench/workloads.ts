import { consistencyWorkload } from './consistency.js';
import { subscriptionsWorkload } from './subscriptions.js';
import type { Fixtures } from './fixtures.js';
import { queryData, requestBody } from './graphql-client.js';
import type { LoadRequest } from './load.js';
import * as op from './operations.js';
import { CheckFailed, type LoadPhase, type Workload } from './workload.js';

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

/** Round-robin over `items`, shared by every connection. */
function rotate<T>(items: readonly T[]): () => T {
  let n = 0;
  return () => items[n++ % items.length]!;
}

const STATUSES = ['COMPLETED', 'RUNNING', 'PENDING', 'FAILED', 'CANCELLED'] as const;
const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
const TASKS_PER_BATCH = 100;
/** A few hundred bytes of generation settings, as a client sends them. */
const OPTIONS = { style: 'cinematic', voice: 'warm-female', aspectRatio: '16:9', fps: 30, targetDurationSeconds: 45, captions: { enabled: true, languages: ['en', 'de'] } };

const loadPhase = (key: string, title: string, next: () => LoadRequest, notes: string[] = [], extra?: LoadPhase['extra']): LoadPhase => ({
  kind: 'load', key, title, next, notes, ...(extra ? { extra } : {}),
});

const w1: Workload = {
  id: 'W1',
  title: 'task(id), hot set',
  async prepare({ url, fixtures }) {
    const sample = fixtures.hotTasks[0];
    expect(sample !== undefined, 'the viewers have no tasks');
    const { task } = await queryData<{ task: op.TaskNode | null }>(url, sample.viewer.token, { query: op.TASK_BY_ID, variables: { id: sample.id } });
    expect(task?.id === sample.id && task.topic === sample.topic, `task(${sample.id}) answered ${JSON.stringify(task)}, the database has topic "${sample.topic}"`);
    const requests = fixtures.hotTasks.map((t) => ({ body: requestBody({ query: op.TASK_BY_ID, variables: { id: t.id } }), token: t.viewer.token }));
    return [loadPhase('W1', this.title, rotate(requests), [`${requests.length} hot ids`])];
  },
};

const w2: Workload = {
  id: 'W2',
  title: 'page of 20 tasks by status',
  async prepare({ url, fixtures }) {
    const viewer = fixtures.viewers[0]!;
    const expected = fixtures.firstViewer.completedPage;
    for (const status of ['COMPLETED', 'RUNNING'] as const) {
      const { tasks } = await queryData<{ tasks: { nodes: op.TaskNode[] } }>(url, viewer.token, { query: op.TASKS_BY_STATUS, variables: { status } });
      expect(tasks.nodes.every((t) => t.status === status), `a ${status} page holds tasks of other statuses`);
      if (status === 'COMPLETED') {
        expect(sameIds(tasks.nodes, expected), `the COMPLETED page of ${viewer.email} differs from the database's newest ${expected.length}`);
      }
    }
    const bodies = STATUSES.map((status) => requestBody({ query: op.TASKS_BY_STATUS, variables: { status } }));
    const viewers = fixtures.viewers;
    let n = 0;
    // Consecutive requests go to different users; each user sees every status in turn.
    const next = () => {
      const i = n++;
      return { body: bodies[Math.floor(i / viewers.length) % bodies.length]!, token: viewers[i % viewers.length]!.token };
    };
    return [loadPhase('W2', this.title, next, ['statuses rotate over all five'])];
  },
};

const w3: Workload = {
  id: 'W3',
  title: 'task tree (20 tasks)',
  async prepare({ url, fixtures }) {
    const viewer = fixtures.viewers[0]!;
    const data = fixtures.firstViewer;
    const { tasks } = await queryData<{ tasks: { nodes: op.TaskTreeNode[] } }>(url, viewer.token, { query: op.TASK_TREE });
    expect(sameIds(tasks.nodes, data.completedPage), `the task tree of ${viewer.email} lists other tasks than the database`);
    for (const task of tasks.nodes) {
      const boards = data.storyboards.get(task.id) ?? { total: 0, images: 0, videos: 0 };
      const scripts = data.scripts.get(task.id) ?? 0;
      const nodes = task.storyboards.nodes;
      expect(nodes.length === Math.min(10, boards.total), `task ${task.id}: ${nodes.length} storyboards, the database has ${boards.total}`);
      expect(task.scripts.length === scripts && (task.latestScript !== null) === scripts > 0, `task ${task.id}: ${task.scripts.length} scripts, the database has ${scripts}`);
      if (boards.total <= 10) {
        const images = nodes.filter((s) => s.firstFrameImage !== null).length;
        const videos = nodes.filter((s) => s.video !== null).length;
        expect(images === boards.images && videos === boards.videos, `task ${task.id}: ${images} images / ${videos} videos, the database has ${boards.images} / ${boards.videos}`);
      }
    }
    const body = requestBody({ query: op.TASK_TREE });
    const tokens = rotate(fixtures.viewers.map((v) => v.token));
    const perTask = data.storyboards.get(data.completedPage[0] ?? '')?.total ?? 0;
    return [loadPhase('W3', this.title, () => ({ body, token: tokens() }), [`COMPLETED tasks, ${Math.min(10, perTask)} storyboards each`])];
  },
};

const w4: Workload = {
  id: 'W4',
  title: '20 conversations x 20 messages',
  async prepare({ url, fixtures }) {
    const viewer = fixtures.viewers[0]!;
    const data = fixtures.firstViewer;
    const { conversations } = await queryData<{ conversations: { nodes: op.InboxNode[] } }>(url, viewer.token, { query: op.INBOX });
    expect(conversations.nodes.length === Math.min(20, data.conversations), `${conversations.nodes.length} conversations, the database has ${data.conversations}`);
    for (const conversation of conversations.nodes) {
      const stored = data.messages.get(conversation.id);
      expect(stored !== undefined, `conversation ${conversation.id} is not one of ${viewer.email}'s`);
      expect(conversation.messages.nodes.length === Math.min(20, stored), `conversation ${conversation.id}: ${conversation.messages.nodes.length} messages, the database has ${stored}`);
    }
    const body = requestBody({ query: op.INBOX });
    const tokens = rotate(fixtures.viewers.map((v) => v.token));
    const shape = `${Math.min(20, data.conversations)} conversations x ${Math.min(20, Math.max(0, ...data.messages.values()))} messages`;
    return [loadPhase('W4', this.title, () => ({ body, token: tokens() }), [shape])];
  },
};

/** W5/W6 topics start with the run's tag, so that the runner can delete what it made. */
function taskInput(fixtures: Fixtures, label: string, n: number) {
  return { topic: `${fixtures.runTag} ${label} #${n}`, priority: PRIORITIES[n % PRIORITIES.length], options: OPTIONS };
}

const w5: Workload = {
  id: 'W5',
  title: 'createTask',
  async prepare({ url, fixtures }) {
    const viewer = fixtures.viewers[0]!;
    const { createTask } = await queryData<{ createTask: { id: string; status: string } }>(url, viewer.token, {
      query: op.CREATE_TASK,
      variables: { input: taskInput(fixtures, 'W5 check', 0) },
    });
    expect(typeof createTask.id === 'string' && createTask.status === 'PENDING', `createTask answered ${JSON.stringify(createTask)}`);
    const tokens = rotate(fixtures.viewers.map((v) => v.token));
    let n = 0;
    const next = () => ({ body: requestBody({ query: op.CREATE_TASK, variables: { input: taskInput(fixtures, 'W5', n++) } }), token: tokens() });
    return [loadPhase('W5', this.title, next)];
  },
};

const w6: Workload = {
  id: 'W6',
  title: `createTasks x ${TASKS_PER_BATCH}`,
  async prepare({ url, fixtures }) {
    const viewer = fixtures.viewers[0]!;
    const inputs = (n: number) => Array.from({ length: TASKS_PER_BATCH }, (_, i) => taskInput(fixtures, `W6 ${n}`, i));
    const { createTasks } = await queryData<{ createTasks: { id: string }[] }>(url, viewer.token, { query: op.CREATE_TASKS, variables: { inputs: inputs(-1) } });
    expect(createTasks.length === TASKS_PER_BATCH, `createTasks made ${createTasks.length} tasks of ${TASKS_PER_BATCH}`);
    const tokens = rotate(fixtures.viewers.map((v) => v.token));
    let n = 0;
    const next = () => ({ body: requestBody({ query: op.CREATE_TASKS, variables: { inputs: inputs(n++) } }), token: tokens() });
    return [loadPhase('W6', this.title, next, [`${TASKS_PER_BATCH} tasks per request`], (reqPerSec) => ({ tasksPerSec: reqPerSec * TASKS_PER_BATCH }))];
  },
};

const w7: Workload = {
  id: 'W7',
  title: 'deep page',
  async prepare({ url, fixtures }) {
    const deep = fixtures.deepPage;
    const token = deep.viewer.token;
    // The cursor of row offset - 1: the page after it starts at row `offset`, like the offset page.
    const { tasks: before } = await queryData<{ tasks: { pageInfo: { endCursor: string | null } } }>(url, token, {
      query: op.CURSOR_AT_OFFSET,
      variables: { offset: deep.offset - 1 },
    });
    const cursor = before.pageInfo.endCursor;
    expect(cursor !== null, `no cursor at row ${deep.offset - 1} of ${deep.viewer.email}'s tasks`);
    const byOffset = { query: op.DEEP_PAGE_BY_OFFSET, variables: { offset: deep.offset } };
    const byCursor = { query: op.DEEP_PAGE_BY_CURSOR, variables: { after: cursor } };
    const offsetPage = await queryData<{ tasks: { nodes: op.TaskNode[] } }>(url, token, byOffset);
    const cursorPage = await queryData<{ tasks: { nodes: op.TaskNode[] } }>(url, token, byCursor);
    expect(sameIds(offsetPage.tasks.nodes, deep.expectedIds), `the page at offset ${deep.offset} differs from the database's rows`);
    expect(sameIds(cursorPage.tasks.nodes, deep.expectedIds), `the page after the cursor of row ${deep.offset - 1} differs from the offset page`);

    const where = deep.isBatchClient
      ? `batch client, offset ${deep.offset}`
      : `no batch client in this data: ${deep.viewer.email} (${deep.taskCount} tasks) at offset ${deep.offset}`;
    const offsetBody = requestBody(byOffset);
    const cursorBody = requestBody(byCursor);
    return [
      loadPhase('W7-offset', 'deep page by offset', () => ({ body: offsetBody, token }), [where]),
      loadPhase('W7-cursor', 'deep page by cursor', () => ({ body: cursorBody, token }), [`same rows as W7-offset`]),
    ];
  },
};

function sameIds(nodes: readonly { id: string }[], ids: readonly string[]): boolean {
  return nodes.length === ids.length && nodes.every((node, i) => node.id === ids[i]);
}

export const WORKLOADS: readonly Workload[] = [w1, w2, w3, w4, w5, w6, w7, consistencyWorkload, subscriptionsWorkload];
