/**
 * The operations the workloads send. Each is named, so the server's request
 * log and its per-operation metrics show which workload a line belongs to.
 */

const TASK_FIELDS = 'id topic status progress priority createdAt';

/** W1 */
export const TASK_BY_ID = `query BenchTask($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`;

/** W2 */
export const TASKS_BY_STATUS = `query BenchTasksByStatus($status: TaskStatus!) {
  tasks(first: 20, filter: { status: $status }) { nodes { ${TASK_FIELDS} } pageInfo { hasNextPage endCursor } }
}`;

/**
 * W3. Completed tasks only: they have their scripts and storyboards, whereas
 * tasks created by W5/W6 (PENDING, newest of all) have none.
 */
export const TASK_TREE = `query BenchTaskTree {
  tasks(first: 20, filter: { status: COMPLETED }) {
    nodes {
      id topic status
      scripts { id version title }
      latestScript { id version title }
      storyboards(first: 10) {
        nodes {
          id sequenceNumber description
          firstFrameImage { id url width height }
          video { id url durationSeconds }
        }
      }
    }
  }
}`;

/** W4 */
export const INBOX = `query BenchInbox {
  conversations(first: 20) {
    nodes { id title updatedAt messages(last: 20) { nodes { id role content createdAt } } }
  }
}`;

/** W5 */
export const CREATE_TASK = `mutation BenchCreateTask($input: CreateTaskInput!) { createTask(input: $input) { id status } }`;

/** W6 */
export const CREATE_TASKS = `mutation BenchCreateTasks($inputs: [CreateTaskInput!]!) { createTasks(inputs: $inputs) { id } }`;

/** W7: the same rows, reached by skipping `offset` rows or by starting after a cursor. */
const DEEP_PAGE_FIELDS = 'nodes { id topic status createdAt }';
export const DEEP_PAGE_BY_OFFSET = `query BenchDeepOffset($offset: Int!) { tasks(first: 20, offset: $offset) { ${DEEP_PAGE_FIELDS} } }`;
export const DEEP_PAGE_BY_CURSOR = `query BenchDeepCursor($after: String!) { tasks(first: 20, after: $after) { ${DEEP_PAGE_FIELDS} } }`;
export const CURSOR_AT_OFFSET = `query BenchCursorAt($offset: Int!) { tasks(first: 1, offset: $offset) { pageInfo { endCursor } } }`;

/** W8 */
export const TASK_PROGRESS = `query BenchTaskProgress($id: ID!) { task(id: $id) { id status progress } }`;
export const RAISE_PROGRESS = `mutation BenchRaiseProgress($input: UpdateTaskStatusInput!) {
  updateTaskStatus(input: $input) { id status progress }
}`;

/** Answer shapes the checks read. */
export interface TaskNode {
  readonly id: string;
  readonly topic: string;
  readonly status: string;
  readonly progress: number;
}

export interface TaskTreeNode {
  readonly id: string;
  readonly scripts: readonly { id: string }[];
  readonly latestScript: { id: string } | null;
  readonly storyboards: { nodes: readonly { firstFrameImage: unknown; video: unknown }[] };
}

export interface InboxNode {
  readonly id: string;
  readonly messages: { nodes: readonly { id: string }[] };
}
